using JasperFx.Events;
using Marten.Events.Aggregation;

namespace ProductHub.Hub.Infrastructure;

/// <summary>
/// A write-side state folded live from its stream by its own pure <c>Evolve</c>, for <c>FetchForWriting&lt;T&gt;</c>
/// (which also fixes the version the append expects). Explicit rather than Marten's conventions: the states are
/// immutable records in Domain, where Marten's source generator does not run.
/// </summary>
public sealed class LiveAggregation<T> : SingleStreamProjection<T, string> where T : class
{
    private readonly Func<T?, object, T?> _evolve;

    public LiveAggregation(Func<T?, object, T?> evolve)
    {
        _evolve = evolve;
        Name = typeof(T).Name;
    }

    public override T? Evolve(T? snapshot, string id, IEvent e) => _evolve(snapshot, e.Data);
}
