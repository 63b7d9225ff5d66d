using Marten;
using NodaTime;
using ProductHub.Hub.Observability;
using Wolverine;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// Recompute a plant's data after something it depends on changed: a release (<c>Parts</c> released), an
/// assignment or reference data (those parts), or its rules (<c>Parts</c> null: everything).
/// </summary>
public sealed record SyncPlant(string PlantCode, IReadOnlyList<string>? Parts, string Cause);

/// <summary>
/// A sync asked for and not yet run, stored in the transaction of the change that asked for it. The correlation id
/// is the asker's, so the deliveries the sync causes carry it even when the sync ran together with others.
/// </summary>
public sealed record WaitingSync(Guid Id, string PlantCode, IReadOnlyList<string>? Parts, string Cause, string? CorrelationId, Instant RequestedAt);

/// <summary>Run every sync waiting for the plant, as one.</summary>
public sealed record RunWaitingSyncs(string PlantCode);

public static class PlantSyncs
{
    /// <summary>
    /// Stores the sync with the change and sends the order to run it through the outbox enrolled with the session,
    /// so both commit or neither does.
    /// </summary>
    public static ValueTask RequestAsync(IDocumentSession session, IMessageBus bus, SyncPlant sync, Instant now)
    {
        session.Store(new WaitingSync(Guid.CreateVersion7(), sync.PlantCode, sync.Parts, sync.Cause, session.CorrelationId, now));
        return bus.PublishAsync(new RunWaitingSyncs(sync.PlantCode));
    }
}

/// <summary>
/// Under load a plant's syncs are asked for faster than they run, one plant's one at a time: the first order to run
/// takes all that wait, and one sync of their parts together costs about what one of them alone does. The orders
/// after it find nothing left to run.
/// </summary>
public static class RunWaitingSyncsHandler
{
    // Wolverine's transactional middleware commits the session once this returns: the syncs taken are deleted with
    // what they recorded, or, if that fails, stay waiting for the retry.
    public static async Task Handle(
        RunWaitingSyncs command, IDocumentSession session, IMessageBus bus, HubMetrics metrics, PlantScopeCache scopes, IClock clock,
        CancellationToken ct)
    {
        var waiting = await session.Query<WaitingSync>().Where(w => w.PlantCode == command.PlantCode).ToListAsync(ct);
        if (waiting.Count == 0) return;
        foreach (var sync in waiting) session.Delete(sync);
        var requests = waiting.OrderBy(w => w.RequestedAt).ThenBy(w => w.Id)
            .Select(w => new PlantSync.Request(w.Parts, w.Cause, w.CorrelationId)).ToList();
        await PlantSync.SyncAsync(session, bus, metrics, scopes, command.PlantCode, requests, clock.GetCurrentInstant(), ct);
    }
}
