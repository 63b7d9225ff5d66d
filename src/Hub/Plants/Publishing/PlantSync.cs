using JasperFx.Events;
using Marten;
using NodaTime;
using ProductHub.Domain.Erp;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Erp.Delivering;
using ProductHub.Hub.Observability;
using ProductHub.Projections.Boms;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Parts;
using ProductHub.Projections.Plants;
using ProductHub.Projections.Units;
using Wolverine;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// Recomputes a plant's data for some parts (or all it receives) and records what changed: a new publication
/// where the result differs from the last one sent, an exception where the data is incomplete, and the
/// resolution of open exceptions once their part publishes.
/// </summary>
public static class PlantSync
{
    /// <summary>What one sync was asked for: these parts (null: everything), why, and under whose correlation id.</summary>
    /// <param name="Parts">Null: everything the plant receives. Otherwise these parts and those above and below them.</param>
    public sealed record Request(IReadOnlyCollection<string>? Parts, string Cause, string? CorrelationId = null);

    /// <param name="requests">Run together, oldest first: a part reached by several takes the cause of the newest.</param>
    /// <param name="onlyThese">Recompute just the given parts, not their relatives (a retry from the workbench).</param>
    public static async Task SyncAsync(
        IDocumentSession session, IMessageBus bus, HubMetrics metrics, PlantScopeCache scopes, string plantCode,
        IReadOnlyList<Request> requests, Instant now, CancellationToken ct, bool onlyThese = false)
    {
        if (await session.LoadAsync<PlantView>(PlantStreams.Plant(plantCode), ct) is not { } plant) return;

        var cache = PartCache.For(session, ct);
        var scope = await scopes.ScopeOfAsync(session, plant, cache, ct);
        var reasons = new Dictionary<string, Request>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var reached = request.Parts is null ? scope.Items
                : onlyThese ? request.Parts.Where(scope.Items.Contains)
                : scope.AffectedBy(request.Parts);
            foreach (var partNumber in reached) reasons[partNumber] = request;
        }
        var targets = scope.ChildrenFirst(reasons.Keys);
        await cache.EnsureAsync(targets);

        var openExceptions = (await session.Query<PlantExceptionView>()
                .Where(e => e.PlantCode == plantCode && e.Status == ExceptionStatus.Open)
                .ToListAsync(ct))
            .ToLookup(e => e.PartNumber);
        var gone = requests.SelectMany(r => r.Parts ?? []).Where(p => !scope.Items.Contains(p)).Distinct().ToList();
        var resolvable = await FetchForWritingAsync(session,
            openExceptions.Where(g => targets.Contains(g.Key) || gone.Contains(g.Key)).SelectMany(g => g), ct);
        foreach (var partNumber in gone)
        {
            Resolve(resolvable[partNumber], $"{partNumber} is no longer among the parts plant {plantCode} receives", now);
        }
        if (targets.Count == 0) return;

        var units = await UnitCatalog.LoadAsync(session, ct);
        var previous = (await session.LoadManyAsync<PlantBomView>(ct, targets.Select(t => PlantStreams.Mbom(plantCode, t))))
            .ToDictionary(v => v.PartNumber);
        // Publications go on to the plant's ERP instance once it is configured; until then a resync brings them.
        var instance = await session.LoadAsync<ErpInstanceView>(ErpStreams.Instance(plant.Current().ErpInstance), ct);
        // A part is complete only when every component it is built from is: the ERP must know each of them.
        var incomplete = openExceptions.Where(g => !targets.Contains(g.Key))
            .ToDictionary(g => g.Key, g => g.First().ExceptionId, StringComparer.Ordinal);
        var released = targets.Select(p => cache[p]!).Select(p => (Part: p, Revision: p.FindRevision(p.CurrentRevision!)!)).ToList();
        await PlantPublication.LoadAsync(plant, released, cache, units);
        foreach (var (part, revision) in released)
        {
            var partNumber = part.Id;
            var reason = reasons[partNumber];
            var publication = PlantPublication.Decide(plant, part, revision, cache, units, incomplete.GetValueOrDefault);
            if (!publication.IsComplete)
            {
                var id = PlantStreams.ExceptionId(plantCode, partNumber, revision.Revision);
                session.Events.Append(PlantStreams.Exception(id), new PlantValidationFailed(
                    id, plantCode, partNumber, revision.Revision, publication.Failures, reason.Cause, now));
                incomplete[partNumber] = id;
                metrics.ValidationFailed(plantCode);
                Resolve(resolvable[partNumber].Where(e => e.Aggregate!.Revision != revision.Revision),
                    $"superseded by revision {revision.Revision}", now);
                continue;
            }

            var last = previous.GetValueOrDefault(partNumber)?.Latest;
            var version = last?.Version ?? 0;
            if (last?.ContentHash != publication.ContentHash)
            {
                // Optimistic concurrency on the part's plant stream: two syncs racing cannot both publish a version.
                var stream = await session.Events.FetchForWriting<PlantBomView>(PlantStreams.Mbom(plantCode, partNumber), ct);
                version = (stream.Aggregate?.Latest.Version ?? 0) + 1;
                var published = new PlantBomPublished(plantCode, partNumber, revision.Revision, version,
                    publication.ContentHash!, publication.Item!, publication.Lines, reason.Cause, now, publication.Routing,
                    publication.Documents);
                stream.AppendOne(published);
                metrics.Published(plantCode);
                if (instance is not null)
                    await Deliveries.RequestAsync(session, bus, instance.Name, published, revision.ReleaseRecordedAt, reason.Cause, now, ct,
                        reason.CorrelationId);
            }
            Resolve(resolvable[partNumber], $"published to plant {plantCode} as version {version}", now);
        }
    }

    /// <summary>
    /// The exceptions the read model lists as open, each fetched for writing in one round trip: the resolution is
    /// decided on the exception's own state, and one closed meanwhile (dismissed on the workbench) makes this sync
    /// meet another writer and run again rather than resolve it over the dismissal.
    /// </summary>
    private static async Task<ILookup<string, IEventStream<PlantException>>> FetchForWritingAsync(
        IDocumentSession session, IEnumerable<PlantExceptionView> open, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var fetches = open.Select(e => batch.Events.FetchForWriting<PlantException>(e.Id)).ToList();
        if (fetches.Count > 0) await batch.Execute(ct);
        var streams = await Task.WhenAll(fetches);
        return streams.Where(s => s.Aggregate is not null).ToLookup(s => s.Aggregate!.PartNumber);
    }

    private static void Resolve(IEnumerable<IEventStream<PlantException>> open, string resolution, Instant now)
    {
        foreach (var stream in open)
        {
            if (ExceptionResolution.Decide(stream.Aggregate!, resolution, now) is { } resolved) stream.AppendOne(resolved);
        }
    }
}
