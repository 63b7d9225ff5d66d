using ProductHub.Domain.Erp;

namespace ProductHub.Tests.Logic;

/// <summary>A delivery's state after its events, folded as Marten folds the stream.</summary>
public static class DeliveryStates
{
    public static Delivery Of(IEnumerable<object> events) => events.Aggregate((Delivery?)null, Delivery.Evolve)!;
}
