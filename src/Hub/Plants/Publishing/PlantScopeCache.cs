using System.Collections.Concurrent;
using System.Text.Json;
using Marten;
using ProductHub.Domain;
using ProductHub.Hub.Api;
using ProductHub.Hub.Parts.Querying;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// The last scope computed per plant, reused while neither the plant's assignments and rules nor the structure of
/// any part it looked at has changed. Computing a scope reads every part a plant receives (thousands), and a
/// release of one part asks every plant to sync; checking the document stamps of those parts is one cheap query,
/// and only parts whose document changed are read again to see whether their contribution to the scope changed.
/// Stamps come from the database, not from this process, so a change made by another hub node is seen too.
/// </summary>
public sealed class PlantScopeCache
{
    private static readonly JsonSerializerOptions KeyJson = HubJson.Create();
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(string PlantKey, PlantScope Scope, IReadOnlyDictionary<string, PartStamp?> Versions);

    /// <summary>The plant's scope, with <paramref name="parts"/> holding at least every part it read to decide.</summary>
    public async Task<PlantScope> ScopeOfAsync(IQuerySession session, PlantView plant, PartCache parts, CancellationToken ct)
    {
        var roots = plant.AssignedAsOf(null).Order(StringComparer.Ordinal).ToList();
        var rules = plant.Current().Rules;
        var plantKey = ContentHash.Of(JsonSerializer.Serialize(new { roots, rules }, KeyJson));

        if (_entries.TryGetValue(plant.Code, out var cached) && cached.PlantKey == plantKey)
        {
            // Read before the documents: a change after this read shows up as a new stamp next time.
            var now = await VersionsAsync(session, cached.Versions.Keys, ct);
            var changed = cached.Versions.Where(v => now.GetValueOrDefault(v.Key) != v.Value).Select(v => v.Key).ToList();
            await parts.EnsureAsync(changed);
            if (changed.All(p => cached.Scope.StillSees(p, parts[p], rules)))
            {
                if (changed.Count > 0) _entries[plant.Code] = cached with { Versions = cached.Scope.LookedAt.ToDictionary(p => p, p => now.GetValueOrDefault(p)) };
                return cached.Scope;
            }
        }

        var versions = new Dictionary<string, PartStamp?>(StringComparer.Ordinal);
        var tracked = new PartCache(async numbers =>
        {
            var read = await VersionsAsync(session, numbers, ct);
            foreach (var number in numbers) versions[number] = read.GetValueOrDefault(number);
            var loaded = await session.LoadManyAsync<PartView>(ct, numbers);
            foreach (var part in loaded) parts.Add(part);
            return loaded.ToDictionary(p => p.Id);
        });
        var scope = await PlantScope.ComputeAsync(roots, rules, tracked);
        _entries[plant.Code] = new Entry(plantKey, scope, scope.LookedAt.ToDictionary(p => p, p => versions.GetValueOrDefault(p)));
        return scope;
    }

    /// <summary>
    /// The stamp of each part's document (version and write time, so a part released again after a reset is not
    /// taken for the one before); parts with no document are absent.
    /// </summary>
    private static async Task<Dictionary<string, PartStamp?>> VersionsAsync(IQuerySession session, IEnumerable<string> partNumbers, CancellationToken ct) =>
        (await PartStamp.ReadAsync(session, partNumbers, ct)).ToDictionary(s => s.Key, s => (PartStamp?)s.Value, StringComparer.Ordinal);
}
