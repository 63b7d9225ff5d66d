using Marten;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Projections.Parts;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Releasing;

/// <summary>422: a well-formed package that the product structure cannot take. Nothing of it is stored.</summary>
public sealed class when_a_release_is_rejected(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task a_bom_that_uses_an_unknown_part_is_rejected_whole()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1), Line(20, "PN-404", 1)),
            Part("PN-2", "A", "2026-02-10")));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ContentType.ShouldStartWith("application/problem+json");
        answer.ErrorFields.ShouldBe(["$.parts[0].bom[1].partNumber"]);
        answer.Json["errors"]!["$.parts[0].bom[1].partNumber"]![0]!.GetValue<string>().ShouldContain("PN-404");
        (await Api.History("PN-1")).Status.ShouldBe(404);
        (await Api.History("PN-2")).Status.ShouldBe(404);
        (await Api.Get("/api/v1/releases/REL-1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_released_revision_with_different_content_is_rejected()
    {
        await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1)), Part("PN-2", "A", "2026-02-10")));
        var before = (await Api.History("PN-1")).Json["events"]!.AsArray().Count;

        var answer = await Api.Release(Package("REL-2", "2026-02-11T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 3)), Part("PN-3", "A", "2026-02-10")));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].revision"]);
        answer.Json["errors"]!["$.parts[0].revision"]![0]!.GetValue<string>().ShouldContain("new revision");
        (await Api.History("PN-1")).Json["events"]!.AsArray().Count.ShouldBe(before);
        (await Api.History("PN-3")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_cycle_inside_one_package_is_rejected()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1)),
            Part("PN-2", "A", "2026-02-10", Line(10, "PN-3", 1)),
            Part("PN-3", "A", "2026-02-10", Line(10, "PN-1", 1))));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.Json["errors"]!["$.parts[0].bom[0].partNumber"]![0]!.GetValue<string>().ShouldContain("PN-1 → PN-2 → PN-3 → PN-1");
        (await Api.History("PN-1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_cycle_closed_against_the_stored_structure_is_rejected()
    {
        await ReleaseChainOfThree();
        var before = (await Api.History("PN-3")).Json["events"]!.AsArray().Count;

        var answer = await Api.Release(Package("REL-2", "2026-03-10T12:00:00Z",
            Part("PN-3", "B", "2026-03-10", Line(10, "PN-1", 1))));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].bom[0].partNumber"]);
        answer.Json["errors"]!["$.parts[0].bom[0].partNumber"]![0]!.GetValue<string>().ShouldContain("PN-3 → PN-1 → PN-2 → PN-3");
        (await Api.History("PN-3")).Json["events"]!.AsArray().Count.ShouldBe(before);
    }

    [Fact]
    public async Task a_cycle_is_still_found_against_a_structure_stored_before_the_link_table_existed()
    {
        await ReleaseChainOfThree();
        // A hub of before: its links only in where-used documents. Starting up applies the schema, which creates the table.
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.QueueSqlCommand($"DROP TABLE {PartLinksTable.In(store.Options.DatabaseSchemaName)}");
            await session.SaveChangesAsync();
        }
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();

        var answer = await Api.Release(Package("REL-2", "2026-03-10T12:00:00Z",
            Part("PN-3", "B", "2026-03-10", Line(10, "PN-1", 1))));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.Json["errors"]!["$.parts[0].bom[0].partNumber"]![0]!.GetValue<string>().ShouldContain("PN-3 → PN-1 → PN-2 → PN-3");
    }

    /// <summary>PN-1 → PN-2 → PN-3, stored.</summary>
    private Task<Answer> ReleaseChainOfThree() => Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
        Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1)),
        Part("PN-2", "A", "2026-02-10", Line(10, "PN-3", 1)),
        Part("PN-3", "A", "2026-02-10")));

    [Fact]
    public async Task a_part_that_uses_itself_is_rejected()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-1", 1))));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].bom[0].partNumber"]);
    }

    [Fact]
    public async Task an_unknown_unit_is_rejected()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1, unit: "BUCKET")), Part("PN-2", "A", "2026-02-10")));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ErrorFields.ShouldBe(["$.parts[0].bom[0].unit"]);
        (await Api.History("PN-2")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_line_unit_of_another_dimension_than_the_child_is_rejected()
    {
        var answer = await Api.Release(Package("REL-1", "2026-02-10T12:00:00Z",
            Part("PN-1", "A", "2026-02-10", Line(10, "PN-2", 1, unit: "KG")), Part("PN-2", "A", "2026-02-10")));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.Json["errors"]!["$.parts[0].bom[0].unit"]![0]!.GetValue<string>().ShouldContain("cannot be converted");
    }
}
