using Bogus;
using ProductHub.Domain.Parts;
using ProductHub.Hub.Parts.Releasing;

namespace ProductHub.Bench;

/// <summary>
/// A seeded, realistic catalog: top-level products over five levels of assemblies down to bought parts.
/// Each assembly uses about three assemblies of the next level (shared between parents, as modules are) and
/// about fourteen bought parts, so 20,000 parts carry about 200,000 BOM lines and a product explodes into
/// about two thousand lines, as a pump or a gearbox does.
/// </summary>
public sealed class Catalog
{
    /// <summary>Share of the parts on each level, top (0) to bought parts (5).</summary>
    private static readonly double[] LevelShares = [0.01, 0.04, 0.10, 0.20, 0.25, 0.40];
    public const int Levels = 6;

    private Catalog(string prefix, IReadOnlyList<ReleasedPart>[] levels)
    {
        Prefix = prefix;
        ByLevel = levels;
    }

    public string Prefix { get; }

    /// <summary>Level 0 holds the products, level 5 the bought parts.</summary>
    public IReadOnlyList<ReleasedPart>[] ByLevel { get; }

    public IEnumerable<ReleasedPart> Parts => ByLevel.SelectMany(l => l);
    public IReadOnlyList<ReleasedPart> Products => ByLevel[0];
    public IReadOnlyList<ReleasedPart> BoughtParts => ByLevel[Levels - 1];
    public int BomLines => Parts.Sum(p => p.Bom?.Count ?? 0);

    /// <summary>The same seed gives the same catalog; the prefix keeps two copies of it apart in one hub.</summary>
    public static Catalog Generate(int parts, int seed, string prefix)
    {
        var faker = new Faker { Random = new Randomizer(seed) };
        var counts = LevelShares.Select(s => Math.Max(1, (int)Math.Round(parts * s))).ToArray();
        var numbers = counts.Select((count, level) =>
            Enumerable.Range(0, count).Select(i => $"{prefix}{level}-{i:D6}").ToArray()).ToArray();
        var levels = new IReadOnlyList<ReleasedPart>[Levels];
        for (var level = Levels - 1; level >= 0; level--)
        {
            levels[level] = numbers[level].Select(number => level == Levels - 1
                ? Part(faker, number, "A", PartType.Buy, [])
                : Part(faker, number, "A", PartType.Make, Bom(faker, numbers[level + 1], numbers[Levels - 1]))).ToList();
        }
        return new Catalog(prefix, levels);
    }

    private static List<ReleasedBomLine> Bom(Faker faker, string[] nextLevel, string[] bought)
    {
        // On the level above the bought parts, the next level is the bought parts themselves.
        var assemblies = nextLevel == bought ? [] : faker.Random.ArrayElements(nextLevel, Math.Min(nextLevel.Length, faker.Random.Int(2, 4)));
        var leaves = faker.Random.ArrayElements(bought, Math.Min(bought.Length, faker.Random.Int(8, 20)));
        return assemblies.Concat(leaves).Distinct().Select((child, i) => new ReleasedBomLine(
            (i + 1) * 10, child, faker.Random.Int(1, 12), "EA", null, null, null)).ToList();
    }

    public static ReleasedPart Part(Faker faker, string number, string revision, PartType type, List<ReleasedBomLine> bom) =>
        new(number, revision, faker.Commerce.ProductName(), "EA", type, null, null, null,
            new Dictionary<string, string> { ["material"] = faker.Commerce.ProductMaterial() },
            new ComplianceAttributes(faker.Random.Bool(0.9f), true, faker.Address.CountryCode()),
            type == PartType.Buy ? [new ReleasedManufacturer(faker.Company.CompanyName(), faker.Random.AlphaNumeric(10).ToUpperInvariant())] : [],
            bom);

    /// <summary>
    /// Release packages bottom-up, so every child is known before (or with) its parent, in random sizes between
    /// <paramref name="minParts"/> and <paramref name="maxParts"/> parts within a level.
    /// </summary>
    public IReadOnlyList<ReleasePackage> Packages(int seed, int minParts, int maxParts, string kind)
    {
        var random = new Random(seed);
        var packages = new List<ReleasePackage>();
        var releasedAt = new DateTimeOffset(2026, 1, 5, 6, 0, 0, TimeSpan.Zero);
        for (var level = Levels - 1; level >= 0; level--)
        {
            var parts = ByLevel[level];
            for (var start = 0; start < parts.Count;)
            {
                var size = Math.Min(parts.Count - start, random.Next(minParts, maxParts + 1));
                packages.Add(new ReleasePackage(
                    $"{Prefix}{kind}-{packages.Count:D5}", "plm-bench", releasedAt.AddMinutes(packages.Count), null,
                    parts.Skip(start).Take(size).ToList()));
                start += size;
            }
        }
        return packages;
    }
}
