using System.Diagnostics.Metrics;
using ProductHub.Hub.Ops;

namespace ProductHub.Hub.Observability;

/// <summary>
/// The hub's own meter, <c>ProductHub</c>: what an integration monitor watches. Exported for Prometheus at
/// <c>/metrics</c>, and over OTLP when an endpoint is configured. One meter per process, as .NET meters are meant
/// to be: the instruments are static, the service only gives handlers something to ask for.
/// </summary>
public sealed class HubMetrics
{
    public const string MeterName = "ProductHub";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Releases =
        Meter.CreateCounter<long>("producthub.releases", description: "Release packages by outcome (recorded, rejected)");
    private static readonly Counter<long> Publications =
        Meter.CreateCounter<long>("producthub.plant.publications", description: "Plant MBOMs published, per plant");
    private static readonly Counter<long> Exceptions =
        Meter.CreateCounter<long>("producthub.plant.exceptions", description: "Failed plant validations, per plant");
    private static readonly Counter<long> Deliveries =
        Meter.CreateCounter<long>("producthub.deliveries", description: "ERP delivery attempts by instance and outcome");
    private static readonly Counter<long> Duplicates =
        Meter.CreateCounter<long>("producthub.duplicates", description: "Duplicates recognised, by kind");
    private static readonly Histogram<double> ReleaseToErpLatency = Meter.CreateHistogram<double>("producthub.release_to_erp.latency",
        unit: "ms", description: "From a release being recorded to the ERP's acknowledgement, per plant and instance");
    private static readonly Counter<long> FailedTransformations = Meter.CreateCounter<long>("producthub.transformations.failed",
        description: "Canonical data that could not be turned into a plant's MBOM (a failed plant validation), per plant");
    private static readonly Counter<long> ChangeOrderSteps = Meter.CreateCounter<long>("producthub.change_order.steps",
        description: "Change order step facts by outcome (sent, acknowledged, retrying, failed, retriedByHand) and side (forward, compensation)");

    // The gauges below read the backlog the sampler last took: a scrape never queries the database.
    private static Backlog? _backlog;

    static HubMetrics()
    {
        Meter.CreateObservableGauge("producthub.acknowledgements.pending", () => Figure(b => b.AwaitingAcknowledgement),
            description: "Deliveries sent and waiting for the ERP's acknowledgement");
        Meter.CreateObservableGauge("producthub.deliveries.pending", () => Figure(b => b.PendingDeliveries),
            description: "Deliveries not yet acknowledged, superseded or dead-lettered (requested, sent, or failed and waiting to retry)");
        Meter.CreateObservableGauge("producthub.deliveries.dead_lettered", () => Figure(b => b.DeadLetteredDeliveries),
            description: "Deliveries dead-lettered after their retry limit, waiting for a replay");
        Meter.CreateObservableGauge("producthub.outbox.depth", () => Figure(b => b.Outbox),
            description: "Messages in Wolverine's durable outbox (wolverine_outgoing_envelopes) not yet sent");
        Meter.CreateObservableGauge("producthub.dead_letters.depth", () => Figure(b => b.DeadLetters),
            description: "Messages in Wolverine's dead letter table (wolverine_dead_letters)");
        Meter.CreateObservableGauge("producthub.subscription.lag", SubscriptionLag, unit: "{event}",
            description: "Events a webhook subscription is behind the event store's last sequence (the hub's asynchronous reader)");
    }

    public void Release(string outcome) => Releases.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Published(string plant) => Publications.Add(1, new KeyValuePair<string, object?>("plant", plant));

    public void ValidationFailed(string plant)
    {
        Exceptions.Add(1, new KeyValuePair<string, object?>("plant", plant));
        FailedTransformations.Add(1, new KeyValuePair<string, object?>("plant", plant));
    }

    public void Delivery(string instance, string outcome) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("instance", instance), new KeyValuePair<string, object?>("outcome", outcome));

    public void Duplicate(string kind) => Duplicates.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ReleaseToErp(string plant, string instance, double milliseconds) =>
        ReleaseToErpLatency.Record(milliseconds,
            new KeyValuePair<string, object?>("plant", plant), new KeyValuePair<string, object?>("instance", instance));

    /// <summary>
    /// Static, unlike the rest: the orchestration records its facts in a pure path without services. One count per
    /// step fact as it is appended, so the outcome is what the change order's timeline shows.
    /// </summary>
    public static void ChangeOrderStep(string outcome, bool compensation) =>
        ChangeOrderSteps.Add(1, new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("side", compensation ? "compensation" : "forward"));

    public void Sampled(Backlog backlog) => _backlog = backlog;

    private static IEnumerable<Measurement<long>> Figure(Func<Backlog, long> figure) =>
        _backlog is { } backlog ? [new Measurement<long>(figure(backlog))] : [];

    private static IEnumerable<Measurement<long>> SubscriptionLag() =>
        _backlog?.SubscriptionLag.Select(l => new Measurement<long>(l.Value, new KeyValuePair<string, object?>("subscription", l.Key))) ?? [];
}
