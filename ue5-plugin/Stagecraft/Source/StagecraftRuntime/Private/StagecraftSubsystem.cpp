#include "StagecraftSubsystem.h"

#include "AudioDevice.h"
#include "Dom/JsonObject.h"
#include "Engine/Engine.h"
#include "HAL/PlatformTime.h"
#include "HttpModule.h"
#include "Interfaces/IHttpResponse.h"
#include "Serialization/JsonReader.h"
#include "Serialization/JsonSerializer.h"
#include "StagecraftConnection.h"
#include "StagecraftListener.h"
#include "StagecraftLog.h"
#include "StagecraftSettings.h"

namespace
{
std::string ToUtf8(const FString& S) { return std::string(TCHAR_TO_UTF8(*S)); }

// The mixer renders a buffer ahead of the one playing: two callbacks of latency.
double DeviceLatencyMs()
{
	FAudioDevice* Device = GEngine ? GEngine->GetMainAudioDeviceRaw() : nullptr;
	if (!Device || Device->GetSampleRate() <= 0)
		return 0;
	return 2.0 * 1000.0 * Device->GetBufferLength() / Device->GetSampleRate();
}
}  // namespace

double UStagecraftSubsystem::NowMs() { return FPlatformTime::Seconds() * 1000.0; }

void UStagecraftSubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
	Super::Initialize(Collection);
	TickHandle = FTSTicker::GetCoreTicker().AddTicker(FTickerDelegate::CreateUObject(this, &UStagecraftSubsystem::Tick));
}

void UStagecraftSubsystem::Deinitialize()
{
	FTSTicker::GetCoreTicker().RemoveTicker(TickHandle);
	for (auto& It : Connections)
		It.Value->Leave();
	Connections.Empty();
	Listeners.Empty();
	Super::Deinitialize();
}

void UStagecraftSubsystem::JoinScene(const FString& SceneId, const FString& Role, const FString& DisplayName)
{
	const UStagecraftSettings* Settings = GetDefault<UStagecraftSettings>();
	TSharedRef<FJsonObject> Body = MakeShared<FJsonObject>();
	Body->SetStringField(TEXT("sceneId"), SceneId);
	Body->SetStringField(TEXT("role"), Role);
	if (!DisplayName.IsEmpty())
		Body->SetStringField(TEXT("name"), DisplayName);
	FString Json;
	FJsonSerializer::Serialize(Body, TJsonWriterFactory<>::Create(&Json));

	TSharedRef<IHttpRequest, ESPMode::ThreadSafe> Request = FHttpModule::Get().CreateRequest();
	Request->SetURL(Settings->ServerUrl / TEXT("matchmake/joinOrCreate/scene"));
	Request->SetVerb(TEXT("POST"));
	Request->SetHeader(TEXT("Content-Type"), TEXT("application/json"));
	const FString Token = Settings->ResolveToken();
	if (!Token.IsEmpty())
		Request->SetHeader(TEXT("Authorization"), TEXT("Bearer ") + Token);
	Request->SetContentAsString(Json);
	Request->OnProcessRequestComplete().BindWeakLambda(this, [this, SceneId](FHttpRequestPtr, FHttpResponsePtr Response, bool bOk) {
		if (!bOk || !Response.IsValid() || Response->GetResponseCode() != 200)
		{
			const FString Why = Response.IsValid() ? Response->GetContentAsString() : TEXT("no response");
			UE_LOG(LogStagecraft, Error, TEXT("joining scene %s failed: %s"), *SceneId, *Why);
			RaiseError(TEXT("matchmake"), Why);
			return;
		}
		TSharedPtr<FJsonObject> Seat;
		if (!FJsonSerializer::Deserialize(TJsonReaderFactory<>::Create(Response->GetContentAsString()), Seat) || !Seat)
		{
			RaiseError(TEXT("matchmake"), TEXT("the matchmaking answer is not JSON"));
			return;
		}
		const UStagecraftSettings* S = GetDefault<UStagecraftSettings>();
		stagecraft::PerformanceOptions Options;
		Options.target_depth_ms = uint32(S->JitterBufferMs);
		Options.output_latency_ms = S->OutputLatencyMs >= 0 ? S->OutputLatencyMs : DeviceLatencyMs();
		Options.face_ease_ms = S->FaceEaseMs;
		TUniquePtr<FStagecraftListener> Listener = MakeUnique<FStagecraftListener>(this);
		auto Connection = MakeShared<FStagecraftConnection, ESPMode::ThreadSafe>(Listener.Get(), Options);
		FString Ws = S->ServerUrl.Replace(TEXT("https://"), TEXT("wss://")).Replace(TEXT("http://"), TEXT("ws://"));
		Connection->Open(Ws, Seat->GetStringField(TEXT("processId")), Seat->GetStringField(TEXT("roomId")),
			Seat->GetStringField(TEXT("sessionId")));
		Listeners.Add(SceneId, MoveTemp(Listener));
		Connections.Add(SceneId, Connection);
	});
	Request->ProcessRequest();
}

void UStagecraftSubsystem::LeaveScene(const FString& SceneId)
{
	if (TSharedPtr<FStagecraftConnection, ESPMode::ThreadSafe>* C = Connections.Find(SceneId))
		(*C)->Leave();
	Connections.Remove(SceneId);
	Listeners.Remove(SceneId);
}

FString UStagecraftSubsystem::Send(const FString& SceneId, stagecraft::wire::ClientMessage& Message)
{
	TSharedPtr<FStagecraftConnection, ESPMode::ThreadSafe>* C = Connections.Find(SceneId);
	if (!C)
	{
		RaiseError(TEXT("sceneId"), FString::Printf(TEXT("not joined to scene %s"), *SceneId));
		return FString();
	}
	return ToFString((*C)->Session().send(Message, NowMs()));
}

FString UStagecraftSubsystem::Propose(const FString& SceneId, const FString& ActorId, const FString& Verb,
	const FString& TargetId, float Amount)
{
	stagecraft::wire::ClientMessage M;
	M.body_case = stagecraft::wire::ClientMessage::BodyCase::Proposal;
	M.proposal.proposal_id = ToUtf8(FGuid::NewGuid().ToString());
	M.proposal.actor_id = ToUtf8(ActorId);
	M.proposal.verb = ToUtf8(Verb);
	M.proposal.target_id = ToUtf8(TargetId);
	M.proposal.amount = Amount;
	return Send(SceneId, M);
}

FString UStagecraftSubsystem::Say(const FString& SceneId, const FString& NpcId, const FString& Text, bool bInterruptible)
{
	stagecraft::wire::ClientMessage M;
	M.body_case = stagecraft::wire::ClientMessage::BodyCase::Say;
	M.say.npc_id = ToUtf8(NpcId);
	M.say.text = ToUtf8(Text);
	M.say.interruptible = bInterruptible;
	return Send(SceneId, M);
}

FString UStagecraftSubsystem::SendPlayerLine(const FString& SceneId, const FString& NpcId, const FString& Text)
{
	stagecraft::wire::ClientMessage M;
	M.body_case = stagecraft::wire::ClientMessage::BodyCase::PlayerLine;
	M.player_line.npc_id = ToUtf8(NpcId);
	M.player_line.text = ToUtf8(Text);
	return Send(SceneId, M);
}

FString UStagecraftSubsystem::Stop(const FString& SceneId, const FString& NpcId)
{
	stagecraft::wire::ClientMessage M;
	M.body_case = stagecraft::wire::ClientMessage::BodyCase::Control;
	M.control.action = stagecraft::wire::ControlAction::Stop;
	M.control.npc_id = ToUtf8(NpcId);
	return Send(SceneId, M);
}

std::shared_ptr<stagecraft::Performance> UStagecraftSubsystem::FindPerformance(const FString& NpcId) const
{
	const std::string Npc = ToUtf8(NpcId);
	std::shared_ptr<stagecraft::Performance> Latest;
	for (const auto& It : Connections)
		for (const auto& [Id, P] : It.Value->Session().performances())
			if (P->start().npc_id == Npc && (!Latest || !P->stats().ended))
				Latest = P;
	return Latest;
}

bool UStagecraftSubsystem::Tick(float)
{
	const double Now = NowMs();
	for (auto& It : Connections)
		It.Value->Tick(Now);
	ReleaseTimed();
	return true;
}

// Cues, subtitles and directives that fall due on each line's audio clock, in that order.
void UStagecraftSubsystem::ReleaseTimed()
{
	const double Now = NowMs();
	std::vector<stagecraft::TimelineItem> Due;
	for (auto& It : Connections)
	{
		for (const auto& [Id, P] : It.Value->Session().performances())
		{
			const double T = P->position_ms(Now);
			P->release(T, Due);
			P->prune(T);
			for (const stagecraft::TimelineItem& Item : Due)
			{
				switch (Item.kind)
				{
				case stagecraft::TimelineItem::Kind::Cue:
				{
					FStagecraftCue C;
					C.NpcId = ToFString(Item.cue.npc_id.empty() ? P->start().npc_id : Item.cue.npc_id);
					const char* Kind = stagecraft::wire::name_of(Item.cue.kind);  // CUE_KIND_NOD → nod
					C.Kind = Kind ? FName(*FString(UTF8_TO_TCHAR(Kind + 9)).ToLower()) : NAME_None;
					C.TargetId = ToFString(Item.cue.target_id);
					C.StartMs = float(Item.cue.start_ms);
					C.DurationMs = float(Item.cue.duration_ms);
					C.Intensity = Item.cue.intensity;
					OnCue.Broadcast(C);
					OnCueNative.Broadcast(C);
					break;
				}
				case stagecraft::TimelineItem::Kind::Subtitle:
				{
					FStagecraftSubtitle S;
					S.PerformanceId = ToFString(Id);
					S.NpcId = ToFString(P->start().npc_id);
					S.Text = ToFString(Item.subtitle.text);
					S.StartMs = float(Item.subtitle.start_ms);
					S.EndMs = float(Item.subtitle.end_ms);
					OnSubtitle.Broadcast(S);
					OnSubtitleNative.Broadcast(S);
					break;
				}
				case stagecraft::TimelineItem::Kind::Directive:
					RaiseDirective(ToBlueprint(Item.directive));
					break;
				}
			}
			Due.clear();
		}
	}
}

void UStagecraftSubsystem::RaisePerformanceStarted(const FStagecraftPerformance& P)
{
	OnPerformanceStarted.Broadcast(P);
	OnPerformanceStartedNative.Broadcast(P);
}

void UStagecraftSubsystem::RaisePerformanceEnded(const FStagecraftPerformance& P)
{
	OnPerformanceEnded.Broadcast(P);
	OnPerformanceEndedNative.Broadcast(P);
}

void UStagecraftSubsystem::RaiseVerdict(const FStagecraftVerdict& V)
{
	OnVerdict.Broadcast(V);
	OnVerdictNative.Broadcast(V);
}

void UStagecraftSubsystem::RaiseDirective(const FStagecraftDirective& D)
{
	OnDirective.Broadcast(D);
	OnDirectiveNative.Broadcast(D);
}

void UStagecraftSubsystem::RaiseError(const FString& Field, const FString& Message)
{
	UE_LOG(LogStagecraft, Warning, TEXT("%s: %s"), *Field, *Message);
	OnError.Broadcast(Field, Message);
	OnErrorNative.Broadcast(Field, Message);
}
