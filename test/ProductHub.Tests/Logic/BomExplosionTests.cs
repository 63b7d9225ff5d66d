using NodaTime;
using ProductHub.Domain.Parts;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Units;

namespace ProductHub.Tests.Logic;

public sealed class BomExplosionTests
{
    private static readonly LocalDate Jan1 = new(2026, 1, 1);

    private static PartView Released(string number, LocalDate effectiveFrom, params (string Child, decimal Quantity)[] bom)
    {
        var part = PartView.Create(new PartRegistered(number, number, "EA", PartType.Make, Instant.MinValue));
        part.Apply(new RevisionCreated(number, "A", number, "EA", PartType.Make, 1, "EA", effectiveFrom,
            new Dictionary<string, string>(), Instant.MinValue));
        foreach (var (child, quantity) in bom)
        {
            part.Apply(new BomLineAdded(number, "A", 10, child, quantity, "EA", [], new Effectivity(Jan1, null), Instant.MinValue));
        }
        part.Apply(new RevisionReleased(number, "A", "REL", Instant.MinValue, null, "h", Instant.MinValue));
        return part;
    }

    private static (BomExplosion Explosion, List<int> BatchSizes) Over(params PartView[] parts)
    {
        var batches = new List<int>();
        var byNumber = parts.ToDictionary(p => p.Id);
        return (new BomExplosion(numbers =>
        {
            batches.Add(numbers.Count);
            return Task.FromResult<IReadOnlyDictionary<string, PartView>>(
                numbers.Where(byNumber.ContainsKey).ToDictionary(n => n, n => byNumber[n]));
        }, new UnitCatalog([])), batches);
    }

    [Fact]
    public async Task each_level_is_loaded_in_one_batch()
    {
        var top = Released("TOP", Jan1, ("A", 1), ("B", 1), ("C", 1));
        var (explosion, batches) = Over(top,
            Released("A", Jan1, ("X", 1)), Released("B", Jan1, ("Y", 1)), Released("C", Jan1),
            Released("X", Jan1), Released("Y", Jan1));

        var bom = await explosion.ExplodeAsync(top, top.Revisions[0], Jan1.PlusDays(10), null, null);

        bom.Lines.Count.ShouldBe(5);
        batches.ShouldBe([3, 2]);
    }

    [Fact]
    public async Task a_child_with_no_revision_effective_yet_is_listed_without_a_revision_and_not_exploded()
    {
        var top = Released("TOP", Jan1, ("LATE", 2));
        var (explosion, _) = Over(top, Released("LATE", Jan1.PlusDays(30), ("X", 1)), Released("X", Jan1));

        var bom = await explosion.ExplodeAsync(top, top.Revisions[0], Jan1.PlusDays(10), null, null);

        var line = bom.Lines.ShouldHaveSingleItem();
        line.PartNumber.ShouldBe("LATE");
        line.Revision.ShouldBeNull();
        line.ExtendedQuantity.ShouldBe(2m);
    }

    [Fact]
    public async Task repeating_fractions_round_to_whole_numbers_where_they_should()
    {
        var top = Released("TOP", Jan1, ("THIRD", 3));
        top.Revisions[0].BaseQuantity = 3;
        var third = Released("THIRD", Jan1, ("LEAF", 1));
        third.Revisions[0].BaseQuantity = 3;
        var (explosion, _) = Over(top, third, Released("LEAF", Jan1));

        var bom = await explosion.ExplodeAsync(top, top.Revisions[0], Jan1, null, null);

        bom.Lines.Select(l => l.ExtendedQuantity).ShouldBe([1m, 0.333333333333m]);
        bom.Lines[0].ExtendedQuantity.ToString(System.Globalization.CultureInfo.InvariantCulture).ShouldBe("1");
    }
}
