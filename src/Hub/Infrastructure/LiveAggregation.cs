using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// Lets Marten aggregate a write-side state live from its stream (<c>FetchForWriting</c>, <c>AggregateStreamAsync</c>)
/// with the domain's own pure <c>Evolve</c>, so the state stays an immutable record that knows nothing of Marten.
/// Register with <see cref="JasperFx.Events.Projections.ProjectionLifecycle.Live"/>: nothing is stored.
/// </summary>
public sealed class LiveAggregation<T>(Func<T?, object, T?> evolve) : SingleStreamProjection<T, string> where T : class
{
    public override T? Evolve(T? snapshot, string id, IEvent e) => evolve(snapshot, e.Data);
}
