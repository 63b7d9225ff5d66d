using JasperFx.Events.Projections;
using Marten;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

public static class Configuration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<WebhookPump>();
        services.AddHostedService(sp => new WebhookPumps(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<WebhookPump>(), sp.GetRequiredService<ILogger<WebhookPumps>>(),
            configuration.GetValue("ProductHub:WebhookPollInterval", TimeSpan.FromSeconds(1))));
        return services;
    }

    public static StoreOptions ConfigureWebhooks(this StoreOptions opts)
    {
        opts.Projections.Snapshot<WebhookView>(SnapshotLifecycle.Inline);
        opts.Schema.For<WebhookCursor>().UseOptimisticConcurrency(true);
        opts.Schema.For<WebhookReplay>().Index(r => r.Webhook);
        return opts;
    }
}
