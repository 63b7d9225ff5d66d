using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.PumpStructure;

namespace ProductHub.Tests.Plants;

/// <summary>The plant MBOM query: each rule on its own and combined, with the canonical BOM's time travel.</summary>
public sealed class when_deriving_plant_mboms(HubFixture fixture) : HubScenario(fixture)
{
    private async Task<Answer> PlantWith(object? rules)
    {
        (await Api.Release(Release())).Status.ShouldBe(201);
        var plant = await Api.Settled(api => api.ConfigurePlant("P1", Plant(rules)));
        plant.Status.ShouldBe(201, plant.ToString());
        return plant;
    }

    private static List<(string Part, decimal Extended, string Changes)> Lines(Answer mbom) =>
        mbom.Json["lines"]!.AsArray().Select(l => (
            l!["partNumber"]!.GetValue<string>(),
            l["extendedQuantity"]!.GetValue<decimal>(),
            string.Join("; ", l["changes"]!.AsArray().Select(c => c!.GetValue<string>())))).ToList();

    [Fact]
    public async Task without_rules_the_mbom_is_the_ebom()
    {
        await PlantWith(null);

        var mbom = await Api.Mbom("P1", "PUMP", "effective=2026-02-01");

        mbom.Status.ShouldBe(200, mbom.ToString());
        Lines(mbom).ShouldBe([("HOUSING", 1m, ""), ("IMPELLER", 1m, ""), ("SEALKIT", 1m, ""), ("TOOL", 1m, "")]);
        mbom.Json["lines"]![0]!["procurement"]!.GetValue<string>().ShouldBe("make");
    }

    [Fact]
    public async Task a_substitution_applies_on_the_dates_of_its_range_only()
    {
        await PlantWith(new { substitutions = new[] { new { partNumber = "IMPELLER", substitute = "IMPELLER-S", effectiveFrom = "2026-06-01" } } });

        Lines(await Api.Mbom("P1", "PUMP", "effective=2026-05-31")).ShouldContain(("IMPELLER", 1m, ""));
        Lines(await Api.Mbom("P1", "PUMP", "effective=2026-06-01")).ShouldContain(("IMPELLER-S", 1m, "substitutes IMPELLER"));
    }

    [Fact]
    public async Task an_excluded_part_is_dropped_with_its_structure()
    {
        await PlantWith(new { exclusions = new[] { "TOOL", "HOUSING" } });

        var parts = Lines(await Api.Mbom("P1", "PUMP", "effective=2026-02-01&depth=all")).Select(l => l.Part).ToList();

        parts.ShouldBe(["IMPELLER", "SEALKIT", "ORING", "GREASE"]);
    }

    [Fact]
    public async Task a_phantom_is_blown_through_into_its_parent_with_quantities_multiplied()
    {
        await PlantWith(new { phantoms = new[] { "SEALKIT" } });

        var lines = Lines(await Api.Mbom("P1", "PUMP", "effective=2026-02-01"));

        lines.Select(l => l.Part).ShouldBe(["HOUSING", "IMPELLER", "ORING", "GREASE", "TOOL"]);
        lines[2].ShouldBe(("ORING", 2m, "pulled up from phantom SEALKIT rev A (find 10)"));
        lines[3].Extended.ShouldBe(0.05m);
    }

    [Fact]
    public async Task a_part_the_plant_buys_is_not_exploded()
    {
        await PlantWith(new { makeBuy = new[] { new { partNumber = "HOUSING", procurement = "buy" } } });

        var mbom = await Api.Mbom("P1", "PUMP", "effective=2026-02-01&depth=all");

        var housing = mbom.Json["lines"]!.AsArray().Single(l => l!["partNumber"]!.GetValue<string>() == "HOUSING")!;
        housing["procurement"]!.GetValue<string>().ShouldBe("buy");
        Lines(mbom).Select(l => l.Part).ShouldNotContain("CASTING");
        Lines(mbom).Select(l => l.Part).ShouldContain("ORING");
    }

    [Fact]
    public async Task a_substitution_applies_inside_a_phantom()
    {
        await PlantWith(new
        {
            phantoms = new[] { "SEALKIT" },
            substitutions = new[] { new { partNumber = "ORING", substitute = "ORING-V", effectiveFrom = (string?)null } },
        });

        Lines(await Api.Mbom("P1", "PUMP", "effective=2026-02-01"))
            .ShouldContain(("ORING-V", 2m, "pulled up from phantom SEALKIT rev A (find 10); substitutes ORING"));
    }

    [Fact]
    public async Task as_of_before_a_rule_change_the_old_structure_comes_back()
    {
        var first = await PlantWith(null);
        var before = first.Json["configuredAt"]!.GetValue<string>();
        await Api.Settled(api => api.ConfigurePlant("P1", Plant(new { exclusions = new[] { "TOOL" } })));

        Lines(await Api.Mbom("P1", "PUMP", "effective=2026-02-01")).Select(l => l.Part).ShouldNotContain("TOOL");
        Lines(await Api.Mbom("P1", "PUMP", $"effective=2026-02-01&asOf={before}")).Select(l => l.Part).ShouldContain("TOOL");
    }

    [Fact]
    public async Task an_unknown_plant_is_not_found()
    {
        await Api.Release(Release());

        (await Api.Mbom("NOPE", "PUMP")).Status.ShouldBe(404);
    }
}
