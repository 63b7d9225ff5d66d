using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Querying;

/// <summary>A revision's routing, released with its BOM, read with the BOM's semantics (revision, effective, asOf).</summary>
public sealed class when_querying_a_routing(HubFixture fixture) : HubScenario(fixture)
{
    private static IEnumerable<(int Number, string WorkCenter)> Operations(Answer answer) =>
        answer.Json["operations"]!.AsArray().Select(o => (o!["operationNumber"]!.GetValue<int>(), o["workCenter"]!.GetValue<string>()));

    private static object Pump(string revision, string effectiveFrom, params object[] operations) =>
        Routed(Part("PUMP", revision, effectiveFrom, Line(10, "HOUSING", 1), Line(20, "BOLT", 4)), operations);

    [Fact]
    public async Task the_operations_come_in_order_with_their_times_for_a_quantity()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Pump("A", "2026-01-10",
                Operation(20, "WC-TEST", 6, setupMinutes: 10, runQuantity: 10, batching: "wholeBatches"),
                Operation(10, "WC-ASSY", 12, setupMinutes: 30, cleanupMinutes: 5, consumes: [10, 20])),
            Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")));

        var routing = await Api.Get("/api/v1/parts/PUMP/routing?effective=2026-02-01&quantity=25");

        routing.Status.ShouldBe(200, routing.ToString());
        Operations(routing).ShouldBe([(10, "WC-ASSY"), (20, "WC-TEST")]);
        var assembly = routing.Json["operations"]![0]!;
        assembly["consumes"]!.AsArray().Select(f => f!.GetValue<int>()).ShouldBe([10, 20]);
        assembly["batching"]!.GetValue<string>().ShouldBe("linear");
        assembly["minutes"]!.GetValue<decimal>().ShouldBe(30m + 12m * 25 + 5m);
        routing.Json["operations"]![1]!["minutes"]!.GetValue<decimal>().ShouldBe(10m + 6m * 3);
        routing.Json["totalMinutes"]!.GetValue<decimal>().ShouldBe(335m + 28m);
        (await Api.Get("/api/v1/parts/PUMP/routing")).Json["operations"]![0]!["minutes"].ShouldBeNull();
    }

    [Fact]
    public async Task a_dated_operation_and_a_new_revision_answer_by_effective_date_and_as_known_at_an_instant()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Pump("A", "2026-01-10", Operation(10, "WC-ASSY", 12), Operation(15, "WC-PAINT", 8, effectiveTo: "2026-03-01")),
            Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")));
        var beforeB = DateTimeOffset.UtcNow.ToString("O");
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Pump("B", "2026-04-01", Operation(10, "WC-CELL", 9))));

        Operations(await Api.Get("/api/v1/parts/PUMP/routing?effective=2026-02-01")).ShouldBe([(10, "WC-ASSY"), (15, "WC-PAINT")]);
        Operations(await Api.Get("/api/v1/parts/PUMP/routing?effective=2026-03-15")).ShouldBe([(10, "WC-ASSY")]);
        var b = await Api.Get("/api/v1/parts/PUMP/routing?effective=2026-04-15");
        b.Json["revision"]!.GetValue<string>().ShouldBe("B");
        Operations(b).ShouldBe([(10, "WC-CELL")]);
        Operations(await Api.Get($"/api/v1/parts/PUMP/routing?effective=2026-04-15&asOf={Uri.EscapeDataString(beforeB)}"))
            .ShouldBe([(10, "WC-ASSY")]);
        Operations(await Api.Get("/api/v1/parts/PUMP/routing?revision=A&effective=2026-04-15")).ShouldBe([(10, "WC-ASSY")]);
    }

    [Fact]
    public async Task a_routing_that_repeats_an_operation_or_consumes_a_line_the_bom_lacks_is_rejected_whole()
    {
        var answer = await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Pump("A", "2026-01-10", Operation(10, "WC-ASSY", 12, consumes: [10, 30]), Operation(10, "WC-TEST", 6)),
            Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")));

        answer.Status.ShouldBe(422, answer.ToString());
        answer.ErrorFields.Order().ShouldBe(["$.parts[0].operations[0].consumes", "$.parts[0].operations[1].operationNumber"]);
        answer.Json["errors"]!["$.parts[0].operations[0].consumes"]![0]!.GetValue<string>().ShouldContain("find number 30");
        (await Api.History("PUMP")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_malformed_operation_is_refused_by_field()
    {
        var answer = await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Pump("A", "2026-01-10", Operation(10, "WC-ASSY", -1), Operation(20, "WC-TEST", 6, effectiveFrom: "2026-03-01", effectiveTo: "2026-02-01")),
            Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")));

        answer.Status.ShouldBe(400, answer.ToString());
        answer.ErrorFields.ShouldContain("$.parts[0].operations[0].runMinutes");
        (await Api.History("PUMP")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task a_changed_routing_of_a_released_revision_needs_a_new_revision()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Pump("A", "2026-01-10", Operation(10, "WC-ASSY", 12)), Part("HOUSING", "A", "2026-01-10"), Part("BOLT", "A", "2026-01-10")));

        var same = await Api.Release(Package("REL-2", "2026-01-11T08:00:00Z", Pump("A", "2026-01-10", Operation(10, "WC-ASSY", 12))));
        var changed = await Api.Release(Package("REL-3", "2026-01-11T08:00:00Z", Pump("A", "2026-01-10", Operation(10, "WC-ASSY", 11))));

        same.Status.ShouldBe(201, same.ToString());
        changed.Status.ShouldBe(422, changed.ToString());
        changed.ErrorFields.ShouldBe(["$.parts[0].revision"]);
    }
}
