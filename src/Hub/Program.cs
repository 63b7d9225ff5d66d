using JasperFx;
using ProductHub.Hub;
using ProductHub.Hub.Demo;
using ProductHub.Hub.Infrastructure;
using ProductHub.Hub.Security;

if (args.FirstOrDefault() == TokenCommand.Name) return TokenCommand.Run(args[1..], WebApplication.CreateBuilder().Configuration);

WebApplication app;
try
{
    app = HubHost.Build(args);
}
catch (Exception e) when (e is ClusterInUseException or PostgresNotInstalledException or DatabaseNotConfiguredException or ClusterMisconfiguredException)
{
    // Not the hub's fault and nothing a stack trace would explain: say what to do, and stop.
    Console.Error.WriteLine($"ProductHub did not start: {e.Message}");
    return 1;
}
// JasperFx's commands (codegen write, db-apply, resources ...) for a build or an operator; the hub itself otherwise.
if (args.FirstOrDefault() is "codegen" or "db-apply" or "db-assert" or "db-patch" or "describe" or "resources")
    return await app.RunJasperFxCommands(args);
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
