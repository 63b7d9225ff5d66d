using JasperFx.Events.Projections;
using Marten;
using ProductHub.Domain.Plants;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Plants.Publishing;
using ProductHub.Hub.Plants.ReferenceData;
using ProductHub.Projections.Plants;
using Wolverine;
using Wolverine.Configuration;
using Wolverine.ErrorHandling;

namespace ProductHub.Hub.Plants;

public static class Configuration
{
    /// <summary>The legacy file route for reference data, when a drop folder is configured.</summary>
    public static IServiceCollection AddReferenceDataDropFolder(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration["ProductHub:ReferenceDataDropFolder"] is not { Length: > 0 } folder) return services;
        services.AddHostedService(sp => new ReferenceDataDropFolder(
            sp.GetRequiredService<IServiceScopeFactory>(), sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<NodaTime.IClock>(),
            sp.GetRequiredService<ILogger<ReferenceDataDropFolder>>(), folder,
            configuration.GetValue("ProductHub:DropFolderPollInterval", TimeSpan.FromSeconds(2))));
        return services;
    }

    public static StoreOptions ConfigurePlants(this StoreOptions opts)
    {
        opts.Projections.Add(new LiveAggregation<Plant>(Plant.Evolve), ProjectionLifecycle.Live);
        opts.Projections.Snapshot<PlantView>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<PlantBomView>(SnapshotLifecycle.Inline);
        opts.Projections.Snapshot<PlantExceptionView>(SnapshotLifecycle.Inline);
        opts.Projections.Add(new LiveAggregation<PlantException>(PlantException.Evolve), ProjectionLifecycle.Live);
        opts.Schema.For<PlantBomView>().Index(v => v.PlantCode);
        opts.Schema.For<PlantExceptionView>().Index(v => v.PlantCode).Index(v => v.PartNumber);
        opts.Schema.For<WaitingSync>().Index(w => w.PlantCode);
        return opts;
    }

    /// <summary>
    /// Plant syncs run from a durable local queue: a sync requested in a committed transaction survives a crash.
    /// They are partitioned by plant: one plant's syncs run one at a time, those waiting together, so two syncs rarely race
    /// for the same part (when they do, the loser runs again, as any handler that meets another writer); different plants sync in parallel.
    /// </summary>
    public static WolverineOptions ConfigurePlants(this WolverineOptions opts)
    {
        opts.Services.AddSingleton<PlantScopeCache>();
        opts.MessagePartitioning.ByMessage<RunWaitingSyncs>(s => s.PlantCode);
        opts.PublishMessage<RunWaitingSyncs>().ToLocalQueue("plant-sync");
        opts.LocalQueue("plant-sync").UseDurableInbox().PartitionProcessingByGroupId(PartitionSlots.Five);
        return opts;
    }
}
