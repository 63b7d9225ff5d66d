using NodaTime;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Domain.Erp;

namespace ProductHub.Tests.Logic;

/// <summary>Change orders as their events make them, for the tests of the orchestration's decisions and of Evolve.</summary>
public static class ChangeOrderSamples
{
    public static readonly Instant Now = Instant.FromUtc(2026, 3, 2, 6, 0);
    public static readonly DeliveryRetry TwoAttempts = new(2, [Duration.FromSeconds(10)]);

    public static PlannedStep Step(string name, int stage, bool blocking = true, string? compensation = null) =>
        new(name, stage, $"{name}-p100", "apply", 60, TwoAttempts, blocking, compensation);

    public static ChangeOrder Approved(params PlannedStep[] plan) => After(
        ChangeOrder.From(new ChangeOrderCreated("ECO-1", "standard", "new impeller", [new AffectedRevision("PN-1", "B")],
            new LocalDate(2026, 4, 1), "plm", Now)),
        [new ChangeOrderApproved("ECO-1", "anna", plan, Now)]);

    public static ChangeOrder After(ChangeOrder order, IEnumerable<object> events) => events.Aggregate(order, (o, e) => ChangeOrder.Evolve(o, e)!);
}
