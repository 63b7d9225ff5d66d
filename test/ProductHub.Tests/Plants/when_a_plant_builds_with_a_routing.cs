using System.Text.Json;
using System.Text.Json.Nodes;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Plants;

/// <summary>
/// A part's routing in a plant: the plant's own work centers, a phantom's lines consumed where the parent consumes the
/// phantom (its own operations stay behind), and the plant's requirements on routings.
/// </summary>
public sealed class when_a_plant_builds_with_a_routing(HubFixture fixture) : HubScenario(fixture)
{
    private static JsonNode Phantom(object part)
    {
        var node = JsonSerializer.SerializeToNode(part, JsonSerializerOptions.Web)!;
        node["type"] = "phantom";
        return node;
    }

    private static object Pump(string revision, string effectiveFrom, decimal assemblyMinutes) =>
        Routed(Part("PUMP", revision, effectiveFrom, Line(10, "HOUSING", 1), Line(20, "SEALKIT", 1), Line(30, "TOOL", 1)),
            Operation(10, "WC-ASSY", assemblyMinutes, consumes: [10, 20]), Operation(20, "WC-TEST", 6, consumes: [30]));

    private static object Structure() => Package("REL-1", "2026-01-10T08:00:00Z",
        Pump("A", "2026-01-10", 12),
        Phantom(Routed(Part("SEALKIT", "A", "2026-01-10", Line(10, "ORING", 2), Line(20, "GREASE", 1)), Operation(10, "WC-KIT", 3))),
        Part("HOUSING", "A", "2026-01-10", Line(10, "CASTING", 1)),
        Part("ORING", "A", "2026-01-10"), Part("GREASE", "A", "2026-01-10"), Part("TOOL", "A", "2026-01-10"), Part("CASTING", "A", "2026-01-10"));


    private static object Rules(object? mandatoryAttributes = null) => new
    {
        exclusions = new[] { "TOOL" },
        workCenters = new Dictionary<string, string> { ["WC-ASSY"] = "P1-ASSY-2", ["WC-TEST"] = "P1-QA" },
        mandatoryAttributes,
    };

    private async Task PlantBuildsThePump(string plant, object rules)
    {
        (await Api.ConfigurePlant(plant, new { name = $"Plant {plant}", erpInstance = $"erp-{plant}", rules })).Status.ShouldBe(201);
        (await Api.Settled(api => api.Assign(plant, "PUMP"))).Status.ShouldBe(201);
    }

    /// <summary>Number, plant work center, canonical work center and the find numbers consumed ("10,20").</summary>
    private static IEnumerable<(int, string, string, string)> Operations(Answer routing) =>
        routing.Json["operations"]!.AsArray().Select(o => (o!["operationNumber"]!.GetValue<int>(), o["workCenter"]!.GetValue<string>(),
            o["canonicalWorkCenter"]!.GetValue<string>(), string.Join(",", o["consumes"]!.AsArray().Select(f => f!.GetValue<int>()))));

    [Fact]
    public async Task the_plants_work_centers_and_the_lines_it_builds_with_are_in_its_routing()
    {
        (await Api.Release(Structure())).Status.ShouldBe(201);
        await PlantBuildsThePump("P1", Rules());

        var routing = await Api.Get("/api/v1/plants/P1/parts/PUMP/routing?effective=2026-02-01&quantity=2");

        routing.Status.ShouldBe(200, routing.ToString());
        routing.Json["plantCode"]!.GetValue<string>().ShouldBe("P1");
        // The tool is not carried in P1, so the test operation consumes nothing; the seal kit's own operation stays behind.
        Operations(routing).ShouldBe([(10, "P1-ASSY-2", "WC-ASSY", "10,20"), (20, "P1-QA", "WC-TEST", "")]);
        routing.Json["totalMinutes"]!.GetValue<decimal>().ShouldBe(12m * 2 + 6m * 2);
        var mbom = await Api.Mbom("P1", "PUMP", "effective=2026-02-01");
        mbom.Json["lines"]!.AsArray().Where(l => l!["findNumber"]!.GetValue<int>() == 20).Select(l => l!["partNumber"]!.GetValue<string>())
            .ShouldBe(["ORING", "GREASE"], ignoreOrder: true);
        // What the plant's ERP is sent carries the same routing.
        var published = (await Api.Published("P1", "PUMP")).Json;
        published["routing"]!.AsArray().Select(o => o!["workCenter"]!.GetValue<string>()).ShouldBe(["P1-ASSY-2", "P1-QA"]);
    }

    [Fact]
    public async Task a_routing_changed_alone_is_published_again_and_the_plant_answers_as_known_at_an_instant()
    {
        (await Api.Release(Structure())).Status.ShouldBe(201);
        await PlantBuildsThePump("P1", Rules());
        var before = DateTimeOffset.UtcNow.ToString("O");

        (await Api.Settled(api => api.Release(Package("REL-2", "2026-02-10T08:00:00Z", Pump("B", "2026-03-01", 9))))).Status.ShouldBe(201);

        (await Api.Published("P1", "PUMP")).Json["version"]!.GetValue<int>().ShouldBe(2);
        var now = await Api.Get("/api/v1/plants/P1/parts/PUMP/routing?effective=2026-03-15&quantity=1");
        now.Json["operations"]![0]!["minutes"]!.GetValue<decimal>().ShouldBe(9m);
        var then = await Api.Get($"/api/v1/plants/P1/parts/PUMP/routing?effective=2026-03-15&quantity=1&asOf={Uri.EscapeDataString(before)}");
        then.Json["revision"]!.GetValue<string>().ShouldBe("A");
        then.Json["operations"]![0]!["minutes"]!.GetValue<decimal>().ShouldBe(12m);
    }

    [Fact]
    public async Task a_plant_that_requires_routings_at_its_own_work_centers_holds_back_what_lacks_them_naming_the_field()
    {
        (await Api.Release(Structure())).Status.ShouldBe(201);
        await PlantBuildsThePump("P2", new
        {
            exclusions = new[] { "TOOL" },
            workCenters = new Dictionary<string, string> { ["WC-ASSY"] = "P2-A" },
            mandatoryAttributes = new[] { new { appliesTo = "make", attribute = "operations" }, new { appliesTo = "make", attribute = "operations.workCenter" } },
        });

        var open = (await Api.Exceptions("plant=P2&status=open")).Items.ToDictionary(e => e!["partNumber"]!.GetValue<string>(),
            e => e!["checks"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ToList());
        open["PUMP"].ShouldContain("operations[operationNumber=20].workCenter");
        open["PUMP"].ShouldNotContain("operations[operationNumber=10].workCenter");
        open["HOUSING"].ShouldBe(["operations"]);
    }

    [Fact]
    public async Task the_plant_is_sent_the_documents_of_the_part_and_its_routing_and_can_require_a_kind()
    {
        var pump = With(Routed(Part("PUMP", "A", "2026-01-10", Line(10, "HOUSING", 1)),
                With(Operation(10, "WC-ASSY", 12, consumes: [10]), "documents", new[] { DocumentReference("WI-1", "A") })),
            "documents", new[] { DocumentReference("DRW-1", "A") });
        (await Api.Release(With(Package("REL-1", "2026-01-10T08:00:00Z", pump, Part("HOUSING", "A", "2026-01-10")),
            "documents", new[] { Document("DRW-1", "A", "drawing"), Document("WI-1", "A") }))).Status.ShouldBe(201);
        await PlantBuildsThePump("P1", Rules(new[] { new { appliesTo = "make", attribute = "documents.workInstruction" } }));
        (await Api.Settled(api => api.ConfigurePlant("P3", new
        {
            name = "Plant P3", erpInstance = "erp-P3", rules = new { makeBuy = new[] { new { partNumber = "PUMP", procurement = "buy" } } },
        }))).Status.ShouldBe(201);
        (await Api.Settled(api => api.Assign("P3", "PUMP"))).Status.ShouldBe(201);

        var made = (await Api.Published("P1", "PUMP")).Json;
        made["documents"]!.AsArray().Select(d => (d!["documentNumber"]!.GetValue<string>(), d["kind"]!.GetValue<string>()))
            .ShouldBe([("DRW-1", "drawing"), ("WI-1", "workInstruction")]);
        made["routing"]![0]!["documents"]![0]!["documentNumber"]!.GetValue<string>().ShouldBe("WI-1");
        var bought = (await Api.Published("P3", "PUMP")).Json;
        bought["documents"]!.AsArray().Select(d => d!["documentNumber"]!.GetValue<string>()).ShouldBe(["DRW-1"]);
        (await Api.Exceptions("plant=P1&status=open")).Items.ShouldBeEmpty();

        await PlantBuildsThePump("P2", Rules(new[] { new { appliesTo = "make", attribute = "documents.inspectionPlan" } }));
        var held = (await Api.Exceptions("plant=P2&status=open")).Items.Single()!;
        held["partNumber"]!.GetValue<string>().ShouldBe("PUMP");
        held["checks"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).ShouldBe(["documents.inspectionPlan"]);
    }

    [Fact]
    public async Task a_part_the_plant_buys_has_no_routing_there()
    {
        (await Api.Release(Structure())).Status.ShouldBe(201);
        (await Api.ConfigurePlant("P3", new
        {
            name = "Plant P3", erpInstance = "erp-P3", rules = new { makeBuy = new[] { new { partNumber = "PUMP", procurement = "buy" } } },
        })).Status.ShouldBe(201);

        var routing = await Api.Get("/api/v1/plants/P3/parts/PUMP/routing?effective=2026-02-01");

        routing.Status.ShouldBe(200, routing.ToString());
        routing.Json["operations"]!.AsArray().ShouldBeEmpty();
        (await Api.Get("/api/v1/plants/NOPE/parts/PUMP/routing")).Status.ShouldBe(404);
    }
}
