using JasperFx.Events.Projections;
using Marten;
using ProductHub.Projections.Status;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Kafka;
using Wolverine.Postgresql;

namespace ProductHub.Hub.Status;

public static class Configuration
{
    /// <summary>Status events by file, when a drop folder is configured.</summary>
    public static IServiceCollection AddStatusEventDropFolder(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration["ProductHub:StatusEventDropFolder"] is not { Length: > 0 } folder) return services;
        services.AddHostedService(sp => new StatusEventDropFolder(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<NodaTime.IClock>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>(),
            sp.GetRequiredService<ILogger<StatusEventDropFolder>>(), folder,
            configuration.GetValue("ProductHub:DropFolderPollInterval", TimeSpan.FromSeconds(2))));
        return services;
    }

    /// <summary>The queue channel for status events; a refused one is dead-lettered at once.</summary>
    public static WolverineOptions ConfigureStatus(this WolverineOptions opts, bool kafka)
    {
        opts.ListenToPostgresqlQueue(ReportStatusHandler.Queue);
        // The topic is the Kafka operators' to create: the hub must start (and serve) while the broker is down.
        if (kafka)
            opts.ListenToKafkaTopic(ReportStatusHandler.Topic).TopicCreation((_, _) => Task.CompletedTask)
                .DefaultIncomingMessage<ReportStatus>().UseDurableInbox();
        opts.OnException<StatusEventRefusedException>().MoveToErrorQueue();
        return opts;
    }

    public static StoreOptions ConfigureStatus(this StoreOptions opts)
    {
        opts.Projections.Snapshot<OperationalStatusView>(SnapshotLifecycle.Inline);
        opts.Schema.For<StatusEventReceipt>();
        return opts;
    }
}
