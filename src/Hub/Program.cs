using ProductHub.Hub;
using ProductHub.Hub.Demo;
using ProductHub.Hub.Infrastructure;

var app = HubHost.Build(args);
if (app.Configuration.GetValue<bool>("ProductHub:Demo")) DemoData.LoadWhenStarted(app);
var localPostgres = app.Services.GetService<LocalPostgres>();
try
{
    await app.RunAsync();
}
finally
{
    // Also when the hub fails to start (its port taken, say): its own PostgreSQL must not outlive it.
    localPostgres?.Dispose();
}

// Exposed to the test assembly, whose Alba host boots this entry point.
public partial class Program;
