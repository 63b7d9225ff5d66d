using NodaTime;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Plants.Publishing;

namespace ProductHub.Hub.Plants.ReferenceData;

public static class LoadReferenceDataDecision
{
    /// <summary>
    /// Reference data is loaded whole, by the JSON or CSV route or from a drop folder, and the plant recomputes what
    /// it receives of the parts it names; the sync says why (<paramref name="cause"/>).
    /// </summary>
    public static PlantDecision Decide(Plant plant, string source, string cause, IReadOnlyList<ReferenceDataItem> items, Instant now) =>
        new(new ReferenceDataLoaded(plant.Code, source, items, now),
            new SyncPlant(plant.Code, items.Select(i => i.PartNumber).Distinct().ToList(), cause));
}
