using ProductHub.Hub;
using ProductHub.Hub.Demo;

var app = HubHost.Build(args);
if (args.Contains("--demo")) DemoData.LoadWhenStarted(app);
await app.RunAsync();

// Exposed to the test assembly, whose Alba host boots this entry point.
public partial class Program;
