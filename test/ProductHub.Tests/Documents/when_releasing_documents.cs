using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Documents;

/// <summary>
/// Document revisions released with parts: a drawing of the part as a whole, a work instruction at an operation. A released
/// document revision is immutable, a reference must name one the hub has, and each document says where it is used.
/// </summary>
public sealed class when_releasing_documents(HubFixture fixture) : HubScenario(fixture)
{
    private static JsonNode Pump(string revision, string effectiveFrom, string instruction) =>
        With(Routed(Part("PUMP", revision, effectiveFrom, Line(10, "HOUSING", 1)),
                With(Operation(10, "WC-ASSY", 12, consumes: [10]), "documents", new[] { DocumentReference("WI-1", instruction) }),
                Operation(20, "WC-TEST", 6)),
            "documents", new[] { DocumentReference("DRW-1", "A") });

    private static JsonNode WithDocuments(object package, params object[] documents) => With(package, "documents", documents);

    private static object FirstRelease() => WithDocuments(
        Package("REL-1", "2026-01-10T08:00:00Z", Pump("A", "2026-01-10", "A"), Part("HOUSING", "A", "2026-01-10")),
        Document("DRW-1", "A", "drawing"), Document("WI-1", "A"));

    private static IEnumerable<(string Part, string Revision, int? Operation)> WhereUsed(JsonNode revision) =>
        revision["whereUsed"]!.AsArray().Select(u => (u!["partNumber"]!.GetValue<string>(), u["revision"]!.GetValue<string>(),
            u["operationNumber"]?.GetValue<int>()));

    [Fact]
    public async Task the_part_and_its_operations_name_the_revisions_they_use_and_each_document_says_where_it_is_used()
    {
        var release = await Api.Release(FirstRelease());

        release.Status.ShouldBe(201, release.ToString());
        release.Json["documents"]!.AsArray().Select(d => d!["outcome"]!.GetValue<string>()).ShouldBe(["released", "released"]);
        var instruction = await Api.Get("/api/v1/documents/WI-1/A");
        instruction.Status.ShouldBe(200, instruction.ToString());
        instruction.Json["kind"]!.GetValue<string>().ShouldBe("workInstruction");
        instruction.Json["sha256"]!.GetValue<string>().Length.ShouldBe(64);
        instruction.Json["packageId"]!.GetValue<string>().ShouldBe("REL-1");
        WhereUsed(instruction.Json).ShouldBe([("PUMP", "A", 10)]);
        WhereUsed((await Api.Get("/api/v1/documents/DRW-1/A")).Json).ShouldBe([("PUMP", "A", (int?)null)]);

        var part = await Api.Get("/api/v1/parts/PUMP");
        part.Json["revisions"]![0]!["documents"]!.AsArray().Select(d => d!["documentNumber"]!.GetValue<string>()).ShouldBe(["DRW-1"]);
        var routing = await Api.Get("/api/v1/parts/PUMP/routing");
        routing.Json["operations"]![0]!["documents"]!.AsArray().Select(d => (d!["documentNumber"]!.GetValue<string>(), d["revision"]!.GetValue<string>()))
            .ShouldBe([("WI-1", "A")]);
        routing.Json["operations"]![1]!["documents"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task a_later_revision_uses_a_new_revision_of_one_document_and_one_released_before()
    {
        (await Api.Release(FirstRelease())).Status.ShouldBe(201);
        var beforeB = DateTimeOffset.UtcNow.ToString("O");

        var second = await Api.Release(WithDocuments(Package("REL-2", "2026-02-10T08:00:00Z", Pump("B", "2026-03-01", "B")), Document("WI-1", "B")));

        second.Status.ShouldBe(201, second.ToString());
        var document = await Api.Get("/api/v1/documents/WI-1");
        document.Json["revisions"]!.AsArray().Select(r => (r!["revision"]!.GetValue<string>(), WhereUsed(r).Single()))
            .ShouldBe([("A", ("PUMP", "A", (int?)10)), ("B", ("PUMP", "B", (int?)10))]);
        WhereUsed((await Api.Get("/api/v1/documents/DRW-1/A")).Json).ShouldBe([("PUMP", "A", (int?)null), ("PUMP", "B", null)]);
        var then = await Api.Get($"/api/v1/documents/WI-1?asOf={Uri.EscapeDataString(beforeB)}");
        then.Json["revisions"]!.AsArray().Select(r => r!["revision"]!.GetValue<string>()).ShouldBe(["A"]);
        (await Api.Get($"/api/v1/documents/WI-1/B?asOf={Uri.EscapeDataString(beforeB)}")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_reference_to_a_document_the_hub_does_not_have_rejects_the_package_whole()
    {
        var answer = await Api.Release(WithDocuments(
            Package("REL-1", "2026-01-10T08:00:00Z", Pump("A", "2026-01-10", "C"), Part("HOUSING", "A", "2026-01-10")),
            Document("WI-1", "A")));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ErrorFields.Order().ShouldBe(["$.parts[0].documents[0]", "$.parts[0].operations[0].documents[0]"]);
        answer.Json["errors"]!["$.parts[0].operations[0].documents[0]"]![0]!.GetValue<string>().ShouldContain("WI-1 revision C is unknown");
        (await Api.History("PUMP")).Status.ShouldBe(404);
        (await Api.Get("/api/v1/documents/WI-1")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_released_document_revision_sent_again_is_unchanged_and_with_another_file_is_refused()
    {
        (await Api.Release(FirstRelease())).Status.ShouldBe(201);

        var again = await Api.Release(WithDocuments(Package("REL-2", "2026-02-10T08:00:00Z", Part("HOUSING", "A", "2026-01-10")),
            Document("WI-1", "A")));
        var changed = await Api.Release(WithDocuments(Package("REL-3", "2026-02-10T08:00:00Z", Part("HOUSING", "A", "2026-01-10")),
            Document("WI-1", "A", content: "another file")));

        again.Status.ShouldBe(201, again.ToString());
        again.Json["documents"]![0]!["outcome"]!.GetValue<string>().ShouldBe("unchanged");
        changed.Status.ShouldBe(422, changed.ToString());
        changed.Json["errors"]!["$.documents[0]"]![0]!.GetValue<string>().ShouldContain("immutable");
        (await Api.Get("/api/v1/documents/WI-1")).Json["revisions"]!.AsArray().Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_malformed_or_repeated_document_is_refused_by_field()
    {
        var bad = Document("WI-1", "A");
        var answer = await Api.Release(WithDocuments(Package("REL-1", "2026-01-10T08:00:00Z", Part("HOUSING", "A", "2026-01-10")),
            With(bad, "sha256", "not-a-hash"), With(bad, "uri", "javascript:alert(1)")));
        var twice = await Api.Release(WithDocuments(Package("REL-2", "2026-01-10T08:00:00Z", Part("HOUSING", "A", "2026-01-10")), bad, bad));

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldContain("$.documents[0].sha256");
        answer.ErrorFields.ShouldContain("$.documents[1].uri");
        twice.Status.ShouldBe(400, twice.ToString());
        twice.ErrorFields.ShouldBe(["$.documents[1]"]);
        (await Api.Get("/api/v1/documents/WI-1")).Status.ShouldBe(404);
    }
}
