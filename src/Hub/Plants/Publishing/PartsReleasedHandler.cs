using Marten;
using NodaTime;
using ProductHub.Hub.Parts.Releasing;
using ProductHub.Projections.Plants;
using Wolverine;

namespace ProductHub.Hub.Plants.Publishing;

/// <summary>
/// A release asks the plants it can change to sync: those building a released part or anything above one, or
/// substituting one of those parts in. Every other plant's scope lies elsewhere, and asking it to sync would only
/// recompute the same result.
/// </summary>
public static class PartsReleasedHandler
{
    public static async Task Handle(PartsReleased released, IDocumentSession session, IMessageBus bus, IClock clock, CancellationToken ct)
    {
        var reach = released.Reach.ToHashSet(StringComparer.Ordinal);
        var concerned = (await session.Query<PlantView>().ToListAsync(ct))
            .Where(p => p.AssignedAsOf(null).Any(reach.Contains) || p.Current().Rules.Substitutions.Any(s => reach.Contains(s.Substitute)));
        // The envelope's correlation id (the release's) goes on to the syncs and the deliveries they cause.
        var now = clock.GetCurrentInstant();
        foreach (var plant in concerned)
            await PlantSyncs.RequestAsync(session, bus, new SyncPlant(plant.Code, released.Released, $"release {released.PackageId}"), now);
    }
}
