using NodaTime;
using ProductHub.Adapters.Contracts;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Units;

namespace ProductHub.Tests.Logic;

public sealed class SmallRulesTests
{
    [Theory]
    [InlineData("2026-02-28", false)]
    [InlineData("2026-03-01", true)]
    [InlineData("2026-05-31", true)]
    [InlineData("2026-06-01", false)]
    public void effectivity_starts_inclusive_and_ends_exclusive(string date, bool covered)
    {
        var effectivity = new Effectivity(new LocalDate(2026, 3, 1), new LocalDate(2026, 6, 1));

        effectivity.Covers(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value).ShouldBe(covered);
    }

    [Fact]
    public void an_open_ended_effectivity_never_ends() =>
        new Effectivity(new LocalDate(2026, 3, 1), null).Covers(new LocalDate(2999, 1, 1)).ShouldBeTrue();

    [Fact]
    public void units_convert_within_a_dimension_only()
    {
        var g = UnitOfMeasure.BuiltIn.Single(u => u.Code == "G");
        var kg = UnitOfMeasure.BuiltIn.Single(u => u.Code == "KG");
        var ea = UnitOfMeasure.BuiltIn.Single(u => u.Code == "EA");

        kg.ConversionTo(g).ShouldBe(1000m);
        g.ConversionTo(kg).ShouldBe(0.001m);
        Should.Throw<InvalidOperationException>(() => kg.ConversionTo(ea));
    }

    [Theory]
    [InlineData("", "$")]
    [InlineData("/parts/0/bom/12/quantity", "$.parts[0].bom[12].quantity")]
    [InlineData("/attributes/surface finish", "$.attributes['surface finish']")]
    [InlineData("/attributes/a~1b", "$.attributes['a/b']")]
    public void json_pointers_become_json_paths(string pointer, string path) =>
        ContractSchema.ToJsonPath(pointer).ShouldBe(path);
}
