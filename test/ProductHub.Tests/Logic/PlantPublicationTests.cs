using NodaTime;
using ProductHub.Domain;
using ProductHub.Domain.Parts;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;
using ProductHub.Projections.Units;

namespace ProductHub.Tests.Logic;

/// <summary>
/// What a released revision becomes in a plant, decided without a host: the parts it reaches are loaded first (one
/// batch per level, through phantoms), then the decision computes from them alone.
/// </summary>
public sealed class PlantPublicationTests
{
    private static readonly LocalDate Jan1 = new(2026, 1, 1);
    private static readonly UnitCatalog Units = new([]);

    private static PartView Released(string number, PartType type, params (string Child, decimal Quantity)[] bom)
    {
        var part = PartView.Create(new PartRegistered(number, number, "EA", type, Instant.MinValue));
        part.Apply(new RevisionCreated(number, "A", number, "EA", type, 1, "EA", Jan1, new Dictionary<string, string>(), Instant.MinValue));
        var find = 10;
        foreach (var (child, quantity) in bom)
        {
            part.Apply(new BomLineAdded(number, "A", find, child, quantity, "EA", [], new Effectivity(Jan1, null), Instant.MinValue));
            find += 10;
        }
        part.Apply(new RevisionReleased(number, "A", "REL", Instant.MinValue, null, "h", Instant.MinValue));
        return part;
    }

    private static PlantView Plant(params MandatoryAttribute[] mandatory) =>
        PlantView.Create(new PlantConfigured("P1", "Plant 1", "erp-a", PlantRules.None with { MandatoryAttributes = mandatory }, Instant.MinValue));

    /// <summary>Loads what the decision reads of <paramref name="top"/> from these parts, and the batches it took.</summary>
    private static async Task<(PartCache Parts, List<string[]> Batches)> LoadedAsync(PlantView plant, PartView top, params PartView[] known)
    {
        var byNumber = known.Append(top).ToDictionary(p => p.Id);
        var batches = new List<string[]>();
        var parts = new PartCache(numbers =>
        {
            batches.Add([.. numbers.Order(StringComparer.Ordinal)]);
            return Task.FromResult<IReadOnlyDictionary<string, PartView>>(
                numbers.Where(byNumber.ContainsKey).ToDictionary(n => n, n => byNumber[n]));
        });
        parts.Add(top);
        await PlantPublication.LoadAsync(plant, [(top, top.Revisions[0])], parts, Units);
        return (parts, batches);
    }

    private static PlantPublication Decide(PlantView plant, PartView top, PartCache parts) =>
        PlantPublication.Decide(plant, top, top.Revisions[0], parts, Units, _ => null);

    [Fact]
    public async Task a_phantoms_lines_are_pulled_up_into_the_make_part_from_parts_loaded_one_level_per_batch()
    {
        var plant = Plant();
        var top = Released("TOP", PartType.Make, ("PH", 2), ("BOLT", 4));
        var (parts, batches) = await LoadedAsync(plant, top,
            Released("PH", PartType.Phantom, ("LEAF", 3)), Released("BOLT", PartType.Buy), Released("LEAF", PartType.Make));

        var publication = Decide(plant, top, parts);

        batches.ShouldBe([["BOLT", "PH"], ["LEAF"]]);
        publication.Failures.ShouldBeEmpty();
        publication.Lines.Select(l => (l.FindNumber, l.PartNumber, l.Quantity)).ShouldBe([(10, "LEAF", 6m), (20, "BOLT", 4m)]);
        publication.Lines[0].Changes.ShouldBe(["pulled up from phantom PH rev A (find 10)"]);
        publication.ContentHash.ShouldNotBeNull();
    }

    [Fact]
    public async Task a_child_the_hub_does_not_know_fails_its_line_by_find_number()
    {
        var plant = Plant();
        var top = Released("TOP", PartType.Make, ("BOLT", 4), ("GHOST", 1));
        var (parts, _) = await LoadedAsync(plant, top, Released("BOLT", PartType.Buy));

        var publication = Decide(plant, top, parts);

        publication.IsComplete.ShouldBeFalse();
        publication.Failures.ShouldBe([new FailedCheck("bom[findNumber=20].partNumber", "GHOST is not known to the hub")]);
        (publication.Item, publication.ContentHash).ShouldBe((null, null));
    }

    [Fact]
    public async Task a_mandatory_attribute_of_the_plant_missing_on_a_make_part_fails_by_its_path()
    {
        var plant = Plant(new MandatoryAttribute("make", "compliance.countryOfOrigin"), new MandatoryAttribute("buy", "approvedManufacturers"));
        var top = Released("TOP", PartType.Make);
        var (parts, _) = await LoadedAsync(plant, top);

        Decide(plant, top, parts).Failures.Select(f => f.Field).ShouldBe(["compliance.countryOfOrigin"]);
    }

    [Fact]
    public async Task a_quantity_the_phantom_multiplies_out_of_range_fails_the_part_and_names_the_line()
    {
        var plant = Plant();
        var top = Released("TOP", PartType.Make, ("PH", 70_000_000_000_000_000_000_000_000_000m));
        var (parts, _) = await LoadedAsync(plant, top, Released("PH", PartType.Phantom, ("LEAF", 3)), Released("LEAF", PartType.Make));

        var failure = Decide(plant, top, parts).Failures.ShouldHaveSingleItem();

        failure.Field.ShouldBe("bom[findNumber=10].quantity");
        failure.Message.ShouldContain(Quantities.ComputableRange);
    }
}
