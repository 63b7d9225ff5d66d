using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Releasing;

/// <summary>
/// A chain as deep as a package may be (5000 parts, each the only child of the next): it releases, and a cycle that
/// a later release would close through the whole stored chain is still found and named.
/// </summary>
public sealed class when_a_structure_is_deep(HubFixture fixture) : HubScenario(fixture)
{
    private const int Levels = 5000;

    private static string Level(int i) => $"C{i:D4}";

    [Fact]
    public async Task a_chain_of_5000_levels_releases_and_a_cycle_closed_through_it_is_named()
    {
        var chain = Enumerable.Range(0, Levels)
            .Select(i => i < Levels - 1 ? Part(Level(i), "A", "2026-02-10", Line(10, Level(i + 1), 1)) : Part(Level(i), "A", "2026-02-10"))
            .ToArray();

        var released = await Api.Release(Package("REL-CHAIN", "2026-02-10T12:00:00Z", chain));

        released.Status.ShouldBe(201, released.ToString());
        (await Api.WhereUsed(Level(Levels - 1), "effective=2026-03-01")).Items.Single()!["partNumber"]!.GetValue<string>()
            .ShouldBe(Level(Levels - 2));

        var closing = await Api.Release(Package("REL-CYCLE", "2026-03-10T12:00:00Z",
            Part(Level(Levels - 1), "B", "2026-03-10", Line(10, Level(0), 1))));

        closing.Status.ShouldBe(422, closing.ToString());
        closing.ErrorFields.ShouldBe(["$.parts[0].bom[0].partNumber"]);
        var path = Enumerable.Range(0, Levels).Select(Level).Prepend(Level(Levels - 1));
        closing.Json["errors"]!["$.parts[0].bom[0].partNumber"]![0]!.GetValue<string>()
            .ShouldBe($"{string.Join(" → ", path)} is a cycle in the product structure");
    }
}
