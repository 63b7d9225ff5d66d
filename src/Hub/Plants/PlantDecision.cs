using JasperFx.Events;
using Marten;
using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants.Publishing;
using Wolverine;

namespace ProductHub.Hub.Plants;

/// <summary>What a command to a plant records on its stream, and the sync of what the plant receives that follows from it.</summary>
public sealed record PlantDecision(object Event, SyncPlant Sync)
{
    /// <summary>The sync waits in the stream's session and its order goes through the outbox enrolled with it: both commit with the event.</summary>
    public Task RecordAsync(IDocumentSession session, IEventStream<Plant> stream, IMessageBus bus, Instant now)
    {
        stream.AppendOne(Event);
        return PlantSyncs.RequestAsync(session, bus, Sync, now).AsTask();
    }
}
