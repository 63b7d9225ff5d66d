using Alba;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using ProductHub.Hub;
using ProductHub.Hub.Infrastructure;
using Wolverine;

namespace ProductHub.Tests.Support;

/// <summary>
/// One hub for the whole test run, on a throwaway PostgreSQL cluster in a temp folder, or on the server
/// named by <c>ConnectionStrings__ProductHub</c> when that is set.
/// </summary>
public sealed class HubFixture : IAsyncLifetime
{
    private LocalPostgres? _postgres;
    private string? _dataDirectory;

    public IAlbaHost Host { get; private set; } = null!;

    public CapturedLogs Logs { get; } = new();

    /// <summary>The folder the hub watches for reference data files, as an ERP's legacy file route would fill it.</summary>
    public string DropFolder { get; private set; } = null!;

    /// <summary>Where the hub keeps its Data Protection keys; it does not exist before the hub starts.</summary>
    public string KeysDirectory => Path.Combine(DropFolder, "keys");

    public async Task InitializeAsync()
    {
        var variable = $"ConnectionStrings__{HubHost.ConnectionStringName}";
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable)))
        {
            // Not Directory.CreateTempSubdirectory: its 0700 folder is out of reach of the postgres user under root.
            _dataDirectory = Directory.CreateDirectory(
                Path.Combine(Path.GetTempPath(), "producthub-tests-" + Guid.NewGuid().ToString("N"))).FullName;
            _postgres = LocalPostgres.Start(Path.Combine(_dataDirectory, "pg"), "producthub_tests", fast: true);
            Environment.SetEnvironmentVariable(variable, _postgres.ConnectionString);
        }

        DropFolder = Directory.CreateDirectory(
            Path.Combine(Path.GetTempPath(), "producthub-drop-" + Guid.NewGuid().ToString("N"))).FullName;
        Environment.SetEnvironmentVariable("ProductHub__ReferenceDataDropFolder", Path.Combine(DropFolder, "reference-data"));
        Environment.SetEnvironmentVariable("ProductHub__StatusEventDropFolder", Path.Combine(DropFolder, "status-events"));
        Environment.SetEnvironmentVariable("ProductHub__DropFolderPollInterval", "00:00:00.200");
        Environment.SetEnvironmentVariable("ProductHub__AckFolderPollInterval", "00:00:00.200");
        Environment.SetEnvironmentVariable("ProductHub__WebhookPollInterval", "00:00:00.200");
        Environment.SetEnvironmentVariable("ProductHub__Secrets__KeysDirectory", KeysDirectory);
        TestTokens.Install();
        Environment.SetEnvironmentVariable("ProductHub__Ops__SampleInterval", "00:00:00.200");

        Host = (await AlbaHost.For<Program>(web => web.ConfigureServices(services =>
        {
            services.RunWolverineInSoloMode();
            services.DisableAllExternalWolverineTransports();
            services.AddSingleton<Serilog.Core.ILogEventSink>(Logs);
            services.ConfigureMarten(opts => opts.Listeners.Add(new FeedContractCheck()));
        }))).WithDefaultToken();
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _postgres?.Dispose();
        foreach (var folder in new[] { _dataDirectory, DropFolder }.OfType<string>())
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { /* files may still be closing; a temp folder is disposable */ }
        }
    }

    /// <summary>Marten's reset, and the link table it does not know of (a table of the hub's own, kept by a projection).</summary>
    public async Task ResetAsync()
    {
        var store = Host.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.ResetAllData();
        await using var session = store.LightweightSession();
        session.QueueSqlCommand($"TRUNCATE {ProductHub.Projections.Parts.PartLinksTable.In(store.Options.DatabaseSchemaName)}");
        await session.SaveChangesAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class HubCollection : ICollectionFixture<HubFixture>
{
    public const string Name = "hub";
}

/// <summary>Base of the HTTP scenarios: a clean database before each test.</summary>
[Collection(HubCollection.Name)]
public abstract class HubScenario(HubFixture fixture) : IAsyncLifetime
{
    protected IAlbaHost Host => fixture.Host;
    protected string DropFolder => fixture.DropFolder;
    protected string KeysDirectory => fixture.KeysDirectory;
    protected CapturedLogs Logs => fixture.Logs;
    protected HubApi Api => new(fixture.Host);

    public Task InitializeAsync() => fixture.ResetAsync();
    public virtual Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>A scenario with a loopback HTTP endpoint standing in for an ERP or any other receiving system.</summary>
public abstract class TestErpScenario(HubFixture fixture) : HubScenario(fixture), IAsyncLifetime
{
    protected TestErp Erp { get; private set; } = null!;

    async Task IAsyncLifetime.InitializeAsync()
    {
        await InitializeAsync();
        Erp = await TestErp.StartAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Erp.DisposeAsync();
    }
}
