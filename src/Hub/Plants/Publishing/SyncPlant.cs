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

public static class SyncPlantHandler
{
    // Wolverine's transactional middleware commits the session once this returns.
    public static Task Handle(
        SyncPlant command, IDocumentSession session, IMessageBus bus, HubMetrics metrics, PlantScopeCache scopes, IClock clock,
        CancellationToken ct) =>
        PlantSync.SyncAsync(session, bus, metrics, scopes, command.PlantCode, command.Parts, command.Cause, clock.GetCurrentInstant(), ct);
}
