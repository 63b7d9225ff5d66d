using System.Text.Json;
using NodaTime;
using ProductHub.Domain.Documents;
using ProductHub.Domain.Parts;
using ProductHub.Hub;
using ProductHub.Hub.Parts;
using ProductHub.Hub.Parts.Releasing;
using ProductHub.Projections.Units;

namespace ProductHub.Tests.Logic;

public sealed class ReleaseDecisionTests
{
    private static readonly Instant Now = Instant.FromUtc(2026, 2, 10, 12, 0);

    private static ReleasedPart Part(string number, string revision, string description = "Pump", params ReleasedBomLine[] bom) =>
        new(number, revision, description, "EA", bom.Length > 0 ? PartType.Make : PartType.Buy, null, null, null,
            null, null, null, bom);

    private static ReleasePackage Package(params ReleasedPart[] parts) =>
        new("REL-1", "plm", new DateTimeOffset(2026, 2, 10, 9, 0, 0, TimeSpan.Zero), null, parts);

    private static ReleaseContext Context(
        Dictionary<string, Part>? parts = null, Dictionary<string, string>? childUnits = null) =>
        new(parts ?? [], childUnits ?? [], new Dictionary<string, IReadOnlyCollection<string>>(), new UnitCatalog([]), new Dictionary<string, Document>());

    [Fact]
    public void a_new_part_is_registered_then_its_revision_created_and_released()
    {
        var decision = ReleaseDecision.Decide(
            Package(Part("PN-1", "A", bom: new ReleasedBomLine(10, "PN-2", 2, "EA", null, null, null))),
            Context(childUnits: new() { ["PN-2"] = "EA" }), Now);

        decision.IsRejected.ShouldBeFalse();
        decision.Outcomes.Single().Events.Select(e => e.GetType().Name)
            .ShouldBe(["PartRegistered", "RevisionCreated", "BomLineAdded", "RevisionReleased"]);
        var line = decision.Outcomes.Single().Events.OfType<BomLineAdded>().Single();
        line.Effectivity.ShouldBe(new Effectivity(new LocalDate(2026, 2, 10), null));
        line.RecordedAt.ShouldBe(Now);
    }

    [Fact]
    public void a_new_revision_with_new_master_data_changes_the_part_and_supersedes_the_current_revision()
    {
        var known = new Part { Id = "PN-1", Description = "Pump", Unit = "EA", Type = PartType.Buy, CurrentRevision = "A" };
        known.Released["A"] = new ReleasedRevision("REL-0", "hash");

        var decision = ReleaseDecision.Decide(Package(Part("PN-1", "B", "Pump, stainless")), Context(new() { ["PN-1"] = known }), Now);

        var events = decision.Outcomes.Single().Events;
        events.Select(e => e.GetType().Name)
            .ShouldBe(["PartAttributesChanged", "RevisionCreated", "RevisionReleased", "RevisionSuperseded"]);
        events.OfType<RevisionSuperseded>().Single().ShouldBe(new RevisionSuperseded("PN-1", "A", "B", Now));
    }

    [Fact]
    public void deciding_twice_gives_the_same_events()
    {
        var package = Package(Part("PN-1", "A"));

        var json = ProductHub.Hub.Api.HubJson.Create();
        string Decide() => JsonSerializer.Serialize(
            ReleaseDecision.Decide(package, Context(), Now).Outcomes.Single().Events, json);

        Decide().ShouldBe(Decide());
    }

    [Fact]
    public void every_rejection_is_reported_at_once()
    {
        var decision = ReleaseDecision.Decide(
            Package(
                Part("PN-1", "A", bom: [
                    new ReleasedBomLine(10, "PN-404", 1, "EA", null, null, null),
                    new ReleasedBomLine(20, "PN-1", 1, "EA", null, null, null),
                    new ReleasedBomLine(30, "PN-2", 1, "LITRE", null, null, null)]),
                Part("PN-2", "A")),
            Context(), Now);

        decision.IsRejected.ShouldBeTrue();
        decision.Outcomes.ShouldBeEmpty();
        decision.Rejections.Keys.ShouldBe(
            ["$.parts[0].bom[0].partNumber", "$.parts[0].bom[1].partNumber", "$.parts[0].bom[2].unit"], ignoreOrder: true);
    }

    private static ReleasedBomLine Uses(string child) => new(10, child, 1, "EA", null, null, null);

    [Fact]
    public void a_cycle_through_stored_and_new_lines_is_named_with_its_path_and_each_new_line_on_it_is_named()
    {
        // Stored: A uses B. The package: B now uses C, and C uses A.
        var stored = new Dictionary<string, IReadOnlyCollection<string>> { ["B"] = ["A"], ["C"] = [], ["A"] = [] };
        var context = new ReleaseContext(new Dictionary<string, Part>(), new Dictionary<string, string> { ["A"] = "EA" }, stored, new UnitCatalog([]), new Dictionary<string, Document>());

        var decision = ReleaseDecision.Decide(Package(Part("B", "B", bom: Uses("C")), Part("C", "A", bom: Uses("A"))), context, Now);

        decision.Rejections["$.parts[0].bom[0].partNumber"].ShouldBe(["B → C → A → B is a cycle in the product structure"]);
        decision.Rejections["$.parts[1].bom[0].partNumber"].ShouldBe(
            ["C → A closes a cycle among the same parts as the line at $.parts[0].bom[0].partNumber"]);
    }

    [Fact]
    public void a_cycle_round_thousands_of_new_parts_is_named_in_full_once()
    {
        const int parts = 5000;
        var ring = Enumerable.Range(0, parts).Select(i => Part($"R{i}", "A", bom: Uses($"R{(i + 1) % parts}"))).ToArray();

        var decision = ReleaseDecision.Decide(Package(ring), Context(), Now);

        decision.Rejections.Count.ShouldBe(parts);
        decision.Rejections["$.parts[0].bom[0].partNumber"].Single()
            .ShouldBe(string.Join(" → ", Enumerable.Range(0, parts + 1).Select(i => $"R{i % parts}")) + " is a cycle in the product structure");
        decision.Rejections["$.parts[1].bom[0].partNumber"].Single().ShouldEndWith("as the line at $.parts[0].bom[0].partNumber");
    }
}
