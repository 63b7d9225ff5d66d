using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Units;

public sealed class when_defining_units(HubFixture fixture) : HubScenario(fixture)
{
    [Fact]
    public async Task a_new_unit_converts_within_its_dimension()
    {
        (await Api.DefineUnit("BOX10", new { dimension = "count", factor = 10 })).Status.ShouldBe(201);
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("KIT", "A", "2026-01-10", Line(10, "NUT", 3, unit: "BOX10")), Part("NUT", "A", "2026-01-10")));

        var line = (await Api.Bom("KIT", "effective=2026-02-01")).Json["lines"]![0]!;

        line["extendedQuantity"]!.GetValue<decimal>().ShouldBe(30m);
        line["extendedUnit"]!.GetValue<string>().ShouldBe("EA");
    }

    [Fact]
    public async Task the_same_definition_again_is_accepted_and_a_different_one_is_a_conflict()
    {
        await Api.DefineUnit("BOX10", new { dimension = "count", factor = 10 });

        (await Api.DefineUnit("BOX10", new { dimension = "count", factor = 10.0 })).Status.ShouldBe(200);
        (await Api.DefineUnit("BOX10", new { dimension = "count", factor = 12 })).Status.ShouldBe(409);
        (await Api.DefineUnit("EA", new { dimension = "count", factor = 2 })).Status.ShouldBe(409);
        (await Api.Get("/api/v1/units/BOX10")).Json["factor"]!.GetValue<decimal>().ShouldBe(10m);
    }

    [Fact]
    public async Task a_bad_definition_names_the_field()
    {
        var answer = await Api.DefineUnit("BOX", new { dimension = "count", factor = 0 });

        answer.Status.ShouldBe(400);
        answer.ErrorFields.ShouldBe(["$.factor"]);
        (await Api.Get("/api/v1/units/BOX")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task built_in_units_are_listed()
    {
        var codes = (await Api.Get("/api/v1/units")).Items.Select(u => u!["code"]!.GetValue<string>());

        codes.ShouldContain("EA");
        codes.ShouldContain("KG");
        codes.ShouldContain("MM");
    }
}
