using JasperFx.Events;
using Marten.Events.Aggregation;
using ProductHub.Domain.Plants;

namespace ProductHub.Hub.Plants;

/// <summary>
/// The write side's plant, folded live from its stream by <c>FetchForWriting&lt;Plant&gt;</c> (which also fixes the
/// version the append expects), while <c>PlantView</c> stays the read model of queries and syncs.
/// </summary>
public sealed class PlantAggregation : SingleStreamProjection<Plant, string>
{
    public override Plant? Evolve(Plant? snapshot, string id, IEvent e) => Plant.Evolve(snapshot, e.Data);
}
