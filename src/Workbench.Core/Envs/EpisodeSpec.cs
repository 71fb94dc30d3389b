namespace Workbench.Envs;

/// <summary>Everything a level generator decides for one episode.</summary>
/// <param name="RoomSize">BabyAI room size (walls included) for "on your left"-style locations; 0 = the whole grid is one room.</param>
public sealed record EpisodeSpec(Grid Grid, int AgentX, int AgentY, int AgentDir, Instruction Instruction, int MaxSteps, int RoomSize = 0);
