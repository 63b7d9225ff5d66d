using JasperFx.Events;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants.Publishing;
using Wolverine;

namespace ProductHub.Hub.Plants;

/// <summary>What a command to a plant records on its stream, and the sync of what the plant receives that follows from it.</summary>
public sealed record PlantDecision(object Event, SyncPlant Sync)
{
    /// <summary>The sync goes through the outbox enrolled with the stream's session: it is sent once the event is committed.</summary>
    public Task RecordAsync(IEventStream<Plant> stream, IMessageBus bus)
    {
        stream.AppendOne(Event);
        return bus.PublishAsync(Sync).AsTask();
    }
}
