using Marten;
using ProductHub.Domain.Units;

namespace ProductHub.Projections.Units;

/// <summary>The built-in units plus every unit defined through the API, by code (case-sensitive).</summary>
public sealed class UnitCatalog
{
    private readonly Dictionary<string, UnitOfMeasure> _units;

    public UnitCatalog(IEnumerable<UnitOfMeasure> defined)
    {
        _units = UnitOfMeasure.BuiltIn.ToDictionary(u => u.Code);
        foreach (var unit in defined) _units[unit.Code] = unit;
    }

    public IEnumerable<UnitOfMeasure> All => _units.Values;

    public UnitOfMeasure? Find(string code) => _units.GetValueOrDefault(code);

    /// <summary>Whether a quantity in one unit can be converted to the other: both defined, of one dimension.</summary>
    public bool Converts(string from, string to) => Find(from)?.Dimension is { } dimension && dimension == Find(to)?.Dimension;

    public UnitOfMeasure this[string code] =>
        Find(code) ?? throw new KeyNotFoundException($"Unit {code} is not defined");

    public static async Task<UnitCatalog> LoadAsync(IQuerySession session, CancellationToken ct)
    {
        var defined = await session.Query<DefinedUnit>().ToListAsync(ct);
        return new UnitCatalog(defined.Select(d => d.ToUnit()));
    }
}

/// <summary>Read model of a unit defined through the API; the stream key is <c>unit/{code}</c>.</summary>
public sealed class DefinedUnit
{
    public string Id { get; set; } = "";
    public string Code { get; set; } = "";
    public string Dimension { get; set; } = "";
    public decimal Factor { get; set; }

    public static DefinedUnit Create(UnitDefined e) =>
        new() { Id = UnitStream.Key(e.Code), Code = e.Code, Dimension = e.Dimension, Factor = e.Factor };

    public UnitOfMeasure ToUnit() => new(Code, Dimension, Factor);
}

public static class UnitStream
{
    // Part numbers may not contain '/', so this prefix keeps unit streams apart from part streams.
    public static string Key(string code) => $"unit/{code}";
}
