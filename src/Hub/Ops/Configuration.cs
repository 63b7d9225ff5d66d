namespace ProductHub.Hub.Ops;

public static class Configuration
{
    public static IServiceCollection AddOps(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<OpsOptions>(configuration.GetSection("ProductHub:Ops"));
        return services;
    }
}
