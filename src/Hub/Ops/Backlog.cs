using Marten;
using Marten.Services.BatchQuerying;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Feed;
using ProductHub.Projections.Erp;
using ProductHub.Projections.Webhooks;
using Wolverine.Runtime;

namespace ProductHub.Hub.Ops;

/// <summary>
/// What is waiting: deliveries not yet settled, of them those sent and awaiting the ERP's acknowledgement, those
/// dead-lettered; Wolverine's durable outbox and dead letters; and how far each webhook subscription is behind the
/// event store. Every Marten projection of the hub is inline (written with its events), so they never lag: the
/// webhook subscriptions are the hub's only asynchronous readers of the event store, and their lag is the one
/// that can grow. Withheld events are those the feed, histories and webhooks serve only as <c>EventWithheld</c>.
/// </summary>
public sealed record Backlog(
    long PendingDeliveries,
    long AwaitingAcknowledgement,
    long DeadLetteredDeliveries,
    long Outbox,
    long DeadLetters,
    long EventStoreHead,
    IReadOnlyDictionary<string, long> SubscriptionLag,
    long WithheldEvents)
{
    public long MaxSubscriptionLag => SubscriptionLag.Values.DefaultIfEmpty(0).Max();

    /// <param name="plants">Only these plants' deliveries (what an ERP may see); the hub's own queues are counted whole.</param>
    public static async Task<Backlog> ReadAsync(IQuerySession session, IWolverineRuntime wolverine, CancellationToken ct, string[]? plants = null)
    {
        var batch = session.CreateBatchQuery();
        var pending = DeliveriesOf(batch, plants).Where(d =>
            d.Status == DeliveryStatus.Pending || d.Status == DeliveryStatus.Sent || d.Status == DeliveryStatus.Failed).Count();
        var awaiting = DeliveriesOf(batch, plants).Where(d => d.Status == DeliveryStatus.Sent).Count();
        var deadLettered = DeliveriesOf(batch, plants).Where(d => d.Status == DeliveryStatus.DeadLettered).Count();
        var webhooks = batch.Query<WebhookView>().ToList();
        var cursors = batch.Query<WebhookCursor>().ToList();
        var withheld = batch.Query<WithheldEvent>().Count();
        await batch.Execute(ct);

        var head = await GetFeed.HeadAsync(session, ct);
        var positions = (await cursors).ToDictionary(c => c.Id, c => c.Position);
        var lag = (await webhooks).ToDictionary(
            w => w.Name, w => Math.Max(0, head - positions.GetValueOrDefault(w.Id, w.Configuration.StartAfter)));
        var messages = await wolverine.Storage.Admin.FetchCountsAsync();
        return new Backlog(await pending, await awaiting, await deadLettered, messages.Outgoing, messages.DeadLetter, head, lag, await withheld);
    }

    /// <summary>Deliveries of these plants (all when null), as a new query: a batched query's Where changes the query itself.</summary>
    public static IBatchedQueryable<DeliveryView> DeliveriesOf(IBatchedQuery batch, string[]? plants) =>
        plants is null ? batch.Query<DeliveryView>() : batch.Query<DeliveryView>().Where(d => d.PlantCode.IsOneOf(plants));
}
