using Marten;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Tests.Support;
using static ProductHub.Tests.Support.Packages;

namespace ProductHub.Tests.Parts.Querying;

/// <summary>Explosions reuse the part documents earlier explosions read; an answer must never come from an outdated one.</summary>
public sealed class when_exploding_again_after_a_change(HubFixture fixture) : HubScenario(fixture)
{
    private static IEnumerable<(int Level, string Part, string? Revision, decimal Extended)> Lines(Answer answer) =>
        answer.Json["lines"]!.AsArray().Select(l => (
            l!["level"]!.GetValue<int>(), l["partNumber"]!.GetValue<string>(), l["revision"]?.GetValue<string>(),
            l["extendedQuantity"]!.GetValue<decimal>()));

    private Task<Answer> ReleaseTwoLevels(int boltsPerLeaf) => Api.Release(Package("REL-1", "2026-01-10T08:00:00Z",
        Part("TOP", "A", "2026-01-10", Line(10, "LEAF", 2)),
        Part("LEAF", "A", "2026-01-10", Line(10, "BOLT", boltsPerLeaf)),
        Part("BOLT", "A", "2026-01-10")));

    [Fact]
    public async Task a_new_revision_of_a_part_read_before_is_exploded()
    {
        await ReleaseTwoLevels(boltsPerLeaf: 3);
        Lines(await Api.Bom("TOP", "depth=all&effective=2026-03-01")).ShouldBe([(1, "LEAF", "A", 2m), (2, "BOLT", "A", 6m)]);

        (await Api.Release(Package("REL-2", "2026-02-10T08:00:00Z",
            Part("LEAF", "B", "2026-01-10", Line(10, "BOLT", 5))))).Status.ShouldBe(201);

        Lines(await Api.Bom("TOP", "depth=all&effective=2026-03-01")).ShouldBe([(1, "LEAF", "B", 2m), (2, "BOLT", "A", 10m)]);
    }

    [Fact]
    public async Task a_part_released_again_with_other_content_after_the_data_was_reset_is_not_taken_for_the_old_one()
    {
        await ReleaseTwoLevels(boltsPerLeaf: 3);
        Lines(await Api.Bom("TOP", "depth=all&effective=2026-03-01")).Last().Extended.ShouldBe(6m);

        // The same parts at the same document versions, written again: only the time of the write differs.
        await Host.Services.GetRequiredService<IDocumentStore>().Advanced.ResetAllData();
        await ReleaseTwoLevels(boltsPerLeaf: 4);

        Lines(await Api.Bom("TOP", "depth=all&effective=2026-03-01")).Last().Extended.ShouldBe(8m);
    }
}
