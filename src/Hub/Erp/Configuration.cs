using JasperFx.Events.Projections;
using Marten;
using ProductHub.Hub.Erp.Delivering;
using ProductHub.Projections.Erp;
using Wolverine;

namespace ProductHub.Hub.Erp;

public static class Configuration
{
    public static StoreOptions ConfigureErp(this StoreOptions opts)
    {
        opts.Projections.Snapshot<ErpInstanceView>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<DeliveryView>(SnapshotLifecycle.Inline);
        opts.Schema.For<DeliveryView>().Index(d => d.Instance).Index(d => d.PartNumber);
        return opts;
    }

    /// <summary>
    /// Deliveries run one at a time from a durable local queue: for one part and one instance a newer version
    /// cannot overtake an older one in flight, and an order accepted in a committed transaction survives a crash.
    /// </summary>
    /// <summary>The HTTP client the channels share, and the watcher of file-channel ack folders.</summary>
    public static IServiceCollection AddErpAdapters(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHttpClient("erp");
        services.AddHostedService(sp => new AckFolderWatcher(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<NodaTime.IClock>(),
            sp.GetRequiredService<ILogger<AckFolderWatcher>>(),
            configuration.GetValue("ProductHub:AckFolderPollInterval", TimeSpan.FromSeconds(2))));
        return services;
    }

    public static WolverineOptions ConfigureErp(this WolverineOptions opts)
    {
        opts.PublishMessage<DeliverToErp>().ToLocalQueue("erp-delivery");
        opts.LocalQueue("erp-delivery").UseDurableInbox().Sequential();
        return opts;
    }
}
