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

        Host = await AlbaHost.For<Program>(web => web.ConfigureServices(services =>
        {
            services.RunWolverineInSoloMode();
            services.DisableAllExternalWolverineTransports();
        }));
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        _postgres?.Dispose();
        if (_dataDirectory is not null)
        {
            try { Directory.Delete(_dataDirectory, recursive: true); }
            catch (IOException) { /* the cluster's files may still be closing; the temp folder is disposable */ }
        }
    }

    public Task ResetAsync() => Host.Services.GetRequiredService<IDocumentStore>().Advanced.ResetAllData();
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
    protected HubApi Api => new(fixture.Host);

    public Task InitializeAsync() => fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
}
