using Marten;
using Microsoft.Extensions.Options;
using ProductHub.Hub.Observability;
using Wolverine.Runtime;

namespace ProductHub.Hub.Ops;

public static class Configuration
{
    public static IServiceCollection AddOps(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpsOptions>(configuration.GetSection("ProductHub:Ops"));
        services.AddHostedService(sp => new BacklogSampler(
            sp.GetRequiredService<IDocumentStore>(), sp.GetRequiredService<IWolverineRuntime>(), sp.GetRequiredService<HubMetrics>(),
            sp.GetRequiredService<ILogger<BacklogSampler>>(), sp.GetRequiredService<IOptions<OpsOptions>>().Value.SampleInterval));
        return services;
    }
}
