using System.Text.Json;
using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.Events;
using JasperFx.Resources;
using Marten;
using NodaTime;
using NodaTime.Serialization.SystemTextJson;
using ProductHub.Domain;
using ProductHub.Hub.Api;
using ProductHub.Hub.ChangeOrders;
using ProductHub.Hub.Contracts;
using ProductHub.Hub.Documents;
using ProductHub.Hub.Erp;
using ProductHub.Hub.Feed;
using ProductHub.Hub.Health;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Observability;
using ProductHub.Hub.Ops;
using ProductHub.Hub.Outbound;
using ProductHub.Hub.Parts;
using ProductHub.Hub.Parts.Querying;
using ProductHub.Hub.Plants;
using ProductHub.Hub.Security;
using ProductHub.Hub.Security.Secrets;
using ProductHub.Hub.Status;
using ProductHub.Hub.Units;
using ProductHub.Hub.Webhooks;
using ProductHub.Hub.Workbench;
using Serilog;
using Weasel.Core;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Http;
using Wolverine.Marten;

namespace ProductHub.Hub;

/// <summary>How the hub is put together; Program.cs only runs it.</summary>
public static class HubHost
{
    public const string ConnectionStringName = "ProductHub";

    /// <summary>Asks for the hub's own PostgreSQL outside Development, where a missing connection string is otherwise an error.</summary>
    public const string EmbeddedDatabaseSetting = "ProductHub:Database:Embedded";

    public static string EmbeddedDatabaseVariable => EmbeddedDatabaseSetting.Replace(":", "__");

    public static WebApplication Build(string[] args)
    {
        // The hub's name whoever hosts it (the benchmark builds it in its own process): Blazor's static assets are
        // found by the application's name.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args, ApplicationName = typeof(HubHost).Assembly.GetName().Name, WebRootPath = PublishedWebRoot(),
        });
        // ASP.NET Core reads the build's static web assets manifest (which says where Blazor's script lives) only in
        // Development unless asked: without it the hub run from its build output as Production, which is how
        // scripts/run-hub.sh runs it, answers /_framework/blazor.web.js with an empty body and every page stays blank.
        // A published hub has no such manifest, so this changes nothing there.
        if (!builder.Environment.IsDevelopment()) builder.WebHost.UseStaticWebAssets();
        // ReadFrom.Services: enrichers and sinks registered as services (the correlation id's, a test's capture) apply too.
        builder.Host.UseSerilog((context, services, logging) => logging
            .ReadFrom.Configuration(context.Configuration)
            .ReadFrom.Services(services)
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Marten", Serilog.Events.LogEventLevel.Warning)
            .MinimumLevel.Override("Wolverine", Serilog.Events.LogEventLevel.Warning)
            // The HTTP client factory logs four lines per ERP delivery at Information: the hot path's largest cost in logging.
            .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj} {{trace={TraceId} span={SpanId} correlation={CorrelationId}}}{NewLine}{Exception}"));

        var sharedTokenKey = SigningKey.IsConfigured(builder.Configuration) || IdentityProvider.IsConfigured(builder.Configuration);
        if (NodeDurability.Misconfiguration(builder.Configuration, ConnectionStringName, sharedTokenKey) is { } misconfigured)
            throw new ClusterMisconfiguredException(misconfigured);
        var (connectionString, localPostgres) = Database(builder.Configuration, builder.Environment);

        // First, so that it holds the lock before any other service touches the schema (see StartupSchemaLock).
        builder.Services.AddHostedService(services =>
            new StartupSchemaLock(connectionString, services.GetRequiredService<ILogger<StartupSchemaLock>>()));
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        PregeneratedCode.Configure(builder.Services);
        builder.Services.ConfigureHttpJsonOptions(o => HubJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();

        builder.Services.AddMarten(opts =>
            {
                ConfigureStorage(opts, connectionString);
                // Spans for Marten's connections, so a release's trace shows its database work.
                opts.OpenTelemetry.TrackConnections = JasperFx.OpenTelemetry.TrackLevel.Normal;
                opts.ConfigureFeed().ConfigureParts().ConfigureDocuments().ConfigureUnits().ConfigurePlants().ConfigureErp().ConfigureWebhooks().ConfigureStatus()
                    .ConfigureChangeOrders().ConfigureSecrets();
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine(w => w.TransportSchemaName = "producthub_queues");
        // Before Wolverine: its hosted service starts the senders, and secrets of old events must be in the store by then.
        builder.Services.AddSecrets(builder.Configuration);

        builder.Services.AddSingleton<ExplosionPartViews>();
        var kafka = KafkaConnection.From(builder.Configuration);
        builder.Services.AddSingleton(kafka);
        builder.Host.UseWolverine(opts =>
        {
            opts.UseRuntimeCompilation();
            NodeDurability.Apply(opts.Durability, builder.Configuration);
            opts.Policies.AutoApplyTransactions();
            // The caller's token subject becomes the user name on every event its request causes, also in handlers downstream.
            opts.EnableRelayOfUserName = true;
            opts.Policies.AddMiddleware(typeof(CorrelationMiddleware));
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
            opts.Services.AddResourceSetupOnStartup();
            // Another writer got to the same stream, row or lock first (two sends of one delivery, a resync beside a
            // send, a deadlock between handlers): each handler loads what it needs again, so running it again is the
            // answer, and only a conflict that persists goes to the error queue.
            opts.OnException(WriteConflict.Is).RetryWithCooldown(
                TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3));
            // The transport first: the features route their own messages to it.
            kafka.Apply(opts);
            opts.ConfigurePlants().ConfigureErp().ConfigureChangeOrders(kafka.IsConfigured).ConfigureStatus(kafka.IsConfigured);
        });
        builder.Services.AddHubAuthentication(builder.Configuration);
        builder.Services.AddWolverineHttp();
        builder.Services.AddHubHealthChecks();
        builder.Services.AddContracts();
        builder.Services.AddHubTelemetry(builder.Configuration);
        builder.Services.AddOps(builder.Configuration);
        builder.Services.AddOutboundHttp(builder.Configuration, connectionString);
        builder.Services.AddErpAdapters(builder.Configuration);
        builder.Services.AddFeed();
        builder.Services.AddWebhooks(builder.Configuration);
        builder.Services.AddReferenceDataDropFolder(builder.Configuration);
        builder.Services.AddStatusEventDropFolder(builder.Configuration);
        builder.Services.AddWorkbench();

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) &&
            string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls("http://localhost:5080");
        }

        if (localPostgres is not null) builder.Services.AddSingleton(localPostgres);

        var app = builder.Build();
        if (localPostgres is not null) LogLocalPostgres(app, localPostgres);
        PregeneratedCode.Log(app);

        app.UseExceptionHandler();
        app.UseSerilogRequestLogging();
        app.UseRequestBodyLimit();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRouteTextCheck();
        app.UseAntiforgery();
        // A query value that does not parse (?limit=abc) is a 400, not silently the default.
        app.MapWolverineEndpoints(opts =>
        {
            opts.RejectUnparseableQueryValues = true;
            opts.AddParameterHandlingStrategy<ContractBodies>();
        });
        app.MapHubHealthChecks();
        app.MapContracts();
        app.MapHubTelemetry();
        app.MapWorkbenchSignIn();
        app.MapWorkbench();
        return app;
    }

    /// <summary>How rows are written: schema, JSON, stream keys, event metadata (shared with tests that write as an older hub did).</summary>
    public static void ConfigureStorage(StoreOptions opts, string connectionString)
    {
        opts.Connection(connectionString);
        opts.DatabaseSchemaName = "producthub";
        opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
        opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, configure: o =>
        {
            o.ConfigureForNodaTime(DateTimeZoneProviders.Tzdb);
            // Events stored before intake limited nesting must stay readable, or their whole stream would not be.
            o.MaxDepth = ServedJson.ReadableDepth;
        });
        opts.Events.StreamIdentity = StreamIdentity.AsString;
        opts.Events.MetadataConfig.CorrelationIdEnabled = true;
        opts.Events.MetadataConfig.CausationIdEnabled = true;
        opts.Events.MetadataConfig.HeadersEnabled = true;
        opts.Events.MetadataConfig.UserNameEnabled = true;
    }

    /// <summary>
    /// A published hub keeps its static assets in <c>wwwroot</c> beside its assembly, but its content root is the folder
    /// it was started from, so <c>dotnet /opt/hub/ProductHub.Hub.dll</c> would look for them in the wrong place.
    /// </summary>
    private static string? PublishedWebRoot()
    {
        var published = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        return Directory.Exists(published) ? published : null;
    }

    /// <summary>
    /// A configured connection string (environment variable <c>ConnectionStrings__ProductHub</c>) uses that
    /// server; without one the hub runs its own PostgreSQL cluster under <c>.data/</c>, so it starts with no setup:
    /// in Development by default, elsewhere only when <see cref="EmbeddedDatabaseSetting"/> asks for it.
    /// </summary>
    private static (string ConnectionString, LocalPostgres? Local) Database(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured)) return (configured, null);

        var dataDirectory = DataFolder.Of(configuration);
        if (!(configuration.GetValue<bool?>(EmbeddedDatabaseSetting) ?? environment.IsDevelopment()))
            throw new DatabaseNotConfiguredException(Path.GetFullPath(dataDirectory));
        // Run as root from a folder the postgres OS user cannot enter (root's own home, say): keep the
        // cluster in a folder of its own, one per checkout, rather than loosening the checkout's permissions.
        if (!LocalPostgres.CanHost(dataDirectory)) dataDirectory = Path.Combine("/var/tmp", "producthub-" + ContentHash.Of(dataDirectory)[..12]);
        var local = LocalPostgres.Start(Path.Combine(dataDirectory, "postgres"), "producthub", fast: false);
        return (local.ConnectionString, local);
    }

    /// <summary>Said once the hub's logger exists: the cluster is started before the host that logs is built.</summary>
    private static void LogLocalPostgres(WebApplication app, LocalPostgres local)
    {
        var dataDirectory = Path.GetFullPath(DataFolder.Of(app.Configuration));
        if (!local.DataDirectory.StartsWith(dataDirectory, StringComparison.Ordinal))
            app.Logger.LogWarning("The postgres OS user cannot reach {DataDirectory}; keeping the local cluster in {Fallback}",
                dataDirectory, local.DataDirectory);
        app.Logger.LogInformation("Started the hub's own PostgreSQL on port {Port} with data in {ClusterDirectory}, password in {PasswordFile}",
            local.Port, local.DataDirectory, LocalPostgres.PasswordFile(local.DataDirectory));
    }
}
