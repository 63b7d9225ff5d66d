using Marten;
using ProductHub.Projections.Parts;

namespace ProductHub.Projections.Boms;

/// <summary>Loads canonical parts by part number; missing ones are simply absent from the result.</summary>
public delegate Task<IReadOnlyDictionary<string, PartView>> PartLoader(IReadOnlyCollection<string> partNumbers);

/// <summary>The parts one query or one sync has read, loaded in batches of whatever is not there yet.</summary>
public sealed class PartCache(PartLoader load)
{
    private readonly Dictionary<string, PartView?> _parts = new(StringComparer.Ordinal);

    public static PartCache For(IQuerySession session, CancellationToken ct) =>
        new(async numbers => (await session.LoadManyAsync<PartView>(ct, numbers)).ToDictionary(p => p.Id));

    public PartView? this[string partNumber] => _parts.GetValueOrDefault(partNumber);

    public void Add(PartView part) => _parts[part.Id] = part;

    public async Task EnsureAsync(IEnumerable<string> partNumbers)
    {
        var missing = partNumbers.Where(p => !_parts.ContainsKey(p)).Distinct(StringComparer.Ordinal).ToList();
        if (missing.Count == 0) return;
        var loaded = await load(missing);
        foreach (var partNumber in missing) _parts[partNumber] = loaded.GetValueOrDefault(partNumber);
    }
}
