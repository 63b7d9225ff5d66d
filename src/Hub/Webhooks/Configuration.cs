using JasperFx.Events.Projections;
using Marten;
using ProductHub.Projections.Webhooks;

namespace ProductHub.Hub.Webhooks;

public static class Configuration
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHostedService(sp => new WebhookPump(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<NodaTime.IClock>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>(),
            sp.GetRequiredService<ILogger<WebhookPump>>(),
            configuration.GetValue("ProductHub:WebhookPollInterval", TimeSpan.FromSeconds(1))));
        return services;
    }

    public static StoreOptions ConfigureWebhooks(this StoreOptions opts)
    {
        opts.Projections.Snapshot<WebhookView>(SnapshotLifecycle.Inline);
        opts.Schema.For<WebhookCursor>();
        return opts;
    }
}
