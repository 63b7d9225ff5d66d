using JasperFx.Events.Projections;
using Marten;
using ProductHub.Domain.ChangeOrders;
using ProductHub.Hub.ChangeOrders.Orchestrating;
using ProductHub.Hub.Infrastructure;
using ProductHub.Projections.ChangeOrders;
using Wolverine;
using Wolverine.Kafka;

namespace ProductHub.Hub.ChangeOrders;

public static class Configuration
{
    public static StoreOptions ConfigureChangeOrders(this StoreOptions opts)
    {
        opts.Projections.Add(new LiveAggregation<ChangeOrder>(ChangeOrder.Evolve), ProjectionLifecycle.Live);
        opts.Projections.Add(new ChangeOrderViewProjection(), ProjectionLifecycle.Inline);
        opts.Projections.Snapshot<ChangeOrderPolicyView>(SnapshotLifecycle.Inline);
        return opts;
    }

    /// <summary>
    /// Decisions about change orders are taken one at a time from a durable queue; the sends to systems run in
    /// parallel from another, so one slow system does not hold up its stage's other steps. With Kafka configured,
    /// steps for systems on the kafka channel go by topic name through the durable outbox, as ERP deliveries do.
    /// </summary>
    public static WolverineOptions ConfigureChangeOrders(this WolverineOptions opts, bool kafka)
    {
        if (kafka) opts.PublishMessage<ChangeOrderStepMessage>().ToKafkaTopics().UseDurableOutbox();
        opts.PublishMessage<SendChangeOrderStep>().ToLocalQueue("change-order-steps");
        opts.LocalQueue("change-order-steps").UseDurableInbox().MaximumParallelMessages(8);
        opts.PublishMessage<ChangeOrderStepAnswered>().ToLocalQueue("change-orders");
        opts.PublishMessage<ChangeOrderStepTimedOut>().ToLocalQueue("change-orders");
        opts.PublishMessage<RetryChangeOrderStep>().ToLocalQueue("change-orders");
        opts.LocalQueue("change-orders").UseDurableInbox().Sequential();
        return opts;
    }
}
