using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Querying;

public sealed class when_asking_where_a_part_is_used(HubFixture fixture) : HubScenario(fixture)
{
    private static IEnumerable<(string Parent, string Revision)> Parents(Answer answer) =>
        answer.Items.Select(u => (u!["partNumber"]!.GetValue<string>(), u["revision"]!.GetValue<string>()));

    [Fact]
    public async Task the_parents_whose_effective_revision_uses_it_are_listed()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-10", Line(10, "BOLT", 4)),
            Part("VALVE", "A", "2026-01-10", Line(10, "BOLT", 2)),
            Part("BOLT", "A", "2026-01-10")));
        await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z",
            Part("VALVE", "B", "2026-03-01", Line(10, "SCREW", 2)), Part("SCREW", "A", "2026-01-10")));

        Parents(await Api.WhereUsed("BOLT", "effective=2026-02-15")).ShouldBe([("PUMP", "A"), ("VALVE", "A")]);
        Parents(await Api.WhereUsed("BOLT", "effective=2026-03-15")).ShouldBe([("PUMP", "A")]);
        Parents(await Api.WhereUsed("SCREW", "effective=2026-03-15")).ShouldBe([("VALVE", "B")]);
    }

    [Fact]
    public async Task a_line_outside_its_effectivity_does_not_count()
    {
        await Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
            Part("PUMP", "A", "2026-01-10", Line(10, "BOLT", 4, effectiveTo: "2026-02-01")),
            Part("BOLT", "A", "2026-01-10")));

        Parents(await Api.WhereUsed("BOLT", "effective=2026-01-15")).ShouldBe([("PUMP", "A")]);
        Parents(await Api.WhereUsed("BOLT", "effective=2026-02-15")).ShouldBeEmpty();
    }

    [Fact]
    public async Task an_unknown_part_is_not_found()
    {
        (await Api.WhereUsed("NOPE")).Status.ShouldBe(404);
    }
}
