using ProductHub.Hub;
using ProductHub.Hub.Demo;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Security;

if (args.FirstOrDefault() == TokenCommand.Name) return TokenCommand.Run(args[1..], WebApplication.CreateBuilder().Configuration);

var app = HubHost.Build(args);
if (app.Configuration.GetValue<bool>("ProductHub:Demo")) DemoData.LoadWhenStarted(app);
var localPostgres = app.Services.GetService<LocalPostgres>();
try
{
    await app.RunAsync();
    return 0;
}
finally
{
    // Also when the hub fails to start (its port taken, say): its own PostgreSQL must not outlive it.
    localPostgres?.Dispose();
}

// Exposed to the test assembly, whose Alba host boots this entry point.
public partial class Program;
