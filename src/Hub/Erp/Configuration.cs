using JasperFx.Events.Projections;
using Marten;
using ProductHub.Domain.Erp;
using ProductHub.Hub.Erp.Delivering;
using ProductHub.Hub.Infrastructure;
using ProductHub.Projections.Erp;
using Wolverine;
using Wolverine.Configuration;

namespace ProductHub.Hub.Erp;

public static class Configuration
{
    public static StoreOptions ConfigureErp(this StoreOptions opts)
    {
        // The auth header left the event for the secret store: the new shape is stored under a type name of its own,
        // and events of the first shape are read redacted, so no reader sees the header again.
        opts.Events.MapEventType<ErpInstanceConfigured>("erp_instance_configured_v2");
        opts.Events.Upcast<ErpInstanceConfiguredV1, ErpInstanceConfigured>(ErpInstanceConfiguredV1.EventTypeName, v1 => v1.Redacted());
        opts.Projections.Snapshot<ErpInstanceView>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<DeliveryView>(SnapshotLifecycle.Inline);
        opts.Projections.Add(new LiveAggregation<Delivery>(Delivery.Evolve), ProjectionLifecycle.Live);
        opts.Schema.For<DeliveryView>().Index(d => d.Instance).Index(d => d.PartNumber);
        return opts;
    }

    /// <summary>The watcher of file-channel ack folders; the HTTP channel's client is <see cref="Outbound.OutboundHttp"/>'s.</summary>
    public static IServiceCollection AddErpAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService(sp => new AckFolderWatcher(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<NodaTime.IClock>(),
            sp.GetRequiredService<ILogger<AckFolderWatcher>>(),
            configuration.GetValue("ProductHub:AckFolderPollInterval", TimeSpan.FromSeconds(2))));
        return services;
    }

    /// <summary>
    /// Deliveries run from a durable local queue, so an order accepted in a committed transaction survives a crash.
    /// They are partitioned by part and instance: one part's deliveries to one instance run one at a time (a newer
    /// version cannot overtake an older one in flight), the others in parallel, up to seven at once.
    /// </summary>
    public static WolverineOptions ConfigureErp(this WolverineOptions opts)
    {
        opts.MessagePartitioning.ByMessage<DeliverToErp>(d => d.OrderGroup);
        opts.PublishMessage<DeliverToErp>().ToLocalQueue("erp-delivery");
        opts.LocalQueue("erp-delivery").UseDurableInbox().PartitionProcessingByGroupId(PartitionSlots.Seven);
        return opts;
    }
}
