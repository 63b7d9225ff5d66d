using System.Diagnostics.Metrics;

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

    public void Release(string outcome) => Releases.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Published(string plant) => Publications.Add(1, new KeyValuePair<string, object?>("plant", plant));

    public void ValidationFailed(string plant) => Exceptions.Add(1, new KeyValuePair<string, object?>("plant", plant));

    public void Delivery(string instance, string outcome) =>
        Deliveries.Add(1, new KeyValuePair<string, object?>("instance", instance), new KeyValuePair<string, object?>("outcome", outcome));

    public void Duplicate(string kind) => Duplicates.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void ReleaseToErp(string plant, string instance, double milliseconds) =>
        ReleaseToErpLatency.Record(milliseconds,
            new KeyValuePair<string, object?>("plant", plant), new KeyValuePair<string, object?>("instance", instance));
}
