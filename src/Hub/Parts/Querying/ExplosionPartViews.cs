using Marten;
using Microsoft.Extensions.Caching.Memory;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;

namespace ProductHub.Hub.Parts.Querying;

/// <summary>
/// The part documents BOM explosions read, kept between requests. An exploded product reads some 1,700 documents,
/// most of them shared modules and bought parts that every other explosion reads too, and converting and
/// deserialising those documents was most of its time. A document is reused only while its stamp in the database
/// (read first, in one cheap query per level) is the one it was read with, so every answer is what reading the
/// documents would give, also after a change made by another hub node. Explosions only read the documents.
/// </summary>
public sealed class ExplosionPartViews : IDisposable
{
    // In BOM lines plus one per part: enough for the whole 20,000-part benchmark catalog (189,000 lines).
    private const long SizeLimit = 250_000;

    private readonly MemoryCache _documents = new(new MemoryCacheOptions { SizeLimit = SizeLimit });

    private sealed record Entry(PartStamp Stamp, PartView Part);

    /// <summary>A cache for one explosion that loads through this one.</summary>
    public PartCache For(IQuerySession session, CancellationToken ct) => new(numbers => LoadAsync(session, numbers, ct));

    private async Task<IReadOnlyDictionary<string, PartView>> LoadAsync(
        IQuerySession session, IReadOnlyCollection<string> partNumbers, CancellationToken ct)
    {
        // Stamps before documents: a document written in between is newer than its stamp, so it is read again next time.
        var stamps = await PartStamp.ReadAsync(session, partNumbers, ct);
        var parts = new Dictionary<string, PartView>(StringComparer.Ordinal);
        var stale = new List<string>();
        foreach (var (partNumber, stamp) in stamps)
        {
            if (_documents.TryGetValue(partNumber, out Entry? entry) && entry!.Stamp == stamp) parts[partNumber] = entry.Part;
            else stale.Add(partNumber);
        }
        if (stale.Count == 0) return parts;

        foreach (var part in await session.LoadManyAsync<PartView>(ct, stale))
        {
            parts[part.Id] = part;
            _documents.Set(part.Id, new Entry(stamps[part.Id], part),
                new MemoryCacheEntryOptions { Size = 1 + part.Revisions.Sum(r => r.Bom.Count) });
        }
        return parts;
    }

    public void Dispose() => _documents.Dispose();
}
