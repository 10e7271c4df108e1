#include "StagecraftConnection.h"

#include "IWebSocket.h"
#include "StagecraftLog.h"
#include "Stagecraft/colyseus.h"
#include "WebSocketsModule.h"

namespace
{
constexpr int32 MaxReconnectAttempts = 5;
constexpr double ReconnectDelayMs = 500;
}

FStagecraftConnection::FStagecraftConnection(stagecraft::SessionListener* Listener,
	const stagecraft::PerformanceOptions& Options)
	: Session_(Listener, Options)
{
}

FStagecraftConnection::~FStagecraftConnection()
{
	if (Socket)
	{
		Socket->OnRawMessage().Clear();
		Socket->OnClosed().Clear();
		Socket->OnConnectionError().Clear();
		Socket->Close();
	}
}

bool FStagecraftConnection::IsOpen() const { return Socket && Socket->IsConnected(); }

void FStagecraftConnection::Open(const FString& InBaseWs, const FString& InProcessId, const FString& InRoomId,
	const FString& InSessionId)
{
	BaseWs = InBaseWs;
	ProcessId = InProcessId;
	RoomId = InRoomId;
	SessionId = InSessionId;
	Connect(FString());
}

void FStagecraftConnection::Connect(const FString& Token)
{
	const std::string Url = stagecraft::colyseus::room_url(TCHAR_TO_UTF8(*BaseWs), TCHAR_TO_UTF8(*ProcessId),
		TCHAR_TO_UTF8(*RoomId), TCHAR_TO_UTF8(*SessionId), TCHAR_TO_UTF8(*Token));
	Socket = FWebSocketsModule::Get().CreateWebSocket(UTF8_TO_TCHAR(Url.c_str()), FString());
	// Callbacks capture a weak pointer: a callback that outlives the connection does nothing.
	TWeakPtr<FStagecraftConnection, ESPMode::ThreadSafe> Weak = AsShared();
	Socket->OnRawMessage().AddLambda([Weak](const void* Data, SIZE_T Size, SIZE_T BytesRemaining) {
		if (TSharedPtr<FStagecraftConnection, ESPMode::ThreadSafe> Self = Weak.Pin())
		{
			Self->Partial.Append(static_cast<const uint8*>(Data), Size);
			if (BytesRemaining == 0)
			{
				Self->Inbox.Enqueue(MoveTemp(Self->Partial));
				Self->Partial.Reset();
			}
		}
	});
	Socket->OnClosed().AddLambda([Weak](int32 Code, const FString& Reason, bool) {
		if (TSharedPtr<FStagecraftConnection, ESPMode::ThreadSafe> Self = Weak.Pin())
			Self->Closes.Enqueue(FClosed{Code, Reason});
	});
	Socket->OnConnectionError().AddLambda([Weak](const FString& Error) {
		if (TSharedPtr<FStagecraftConnection, ESPMode::ThreadSafe> Self = Weak.Pin())
			Self->Closes.Enqueue(FClosed{1006, Error});
	});
	Session_.on_open();
	Socket->Connect();
}

void FStagecraftConnection::Tick(double NowMs)
{
	TArray<uint8> Frame;
	while (Inbox.Dequeue(Frame))
	{
		Session_.on_frame(Frame.GetData(), Frame.Num(), NowMs);
	}
	if (Socket && Socket->IsConnected())
	{
		for (const std::vector<uint8_t>& Out : Session_.take_outbox())
			Socket->Send(Out.data(), Out.size(), true);
	}
	FClosed Closed;
	while (Closes.Dequeue(Closed))
	{
		if (bLeft || !stagecraft::colyseus::may_reconnect(Closed.Code) || Session_.reconnection_token().empty())
		{
			UE_LOG(LogStagecraft, Warning, TEXT("scene connection closed (%d %s); not reconnecting"), Closed.Code, *Closed.Reason);
			ReconnectAtMs = -1;
			continue;
		}
		if (Attempts < MaxReconnectAttempts)
		{
			ReconnectAtMs = NowMs + ReconnectDelayMs * (1 << Attempts);
			UE_LOG(LogStagecraft, Log, TEXT("scene connection dropped (%d); reconnecting"), Closed.Code);
		}
	}
	if (ReconnectAtMs >= 0 && NowMs >= ReconnectAtMs)
	{
		ReconnectAtMs = -1;
		Attempts++;
		Connect(UTF8_TO_TCHAR(Session_.reconnection_token().c_str()));
	}
	if (Session_.joined())
		Attempts = 0;
	Session_.collect(NowMs);
}

void FStagecraftConnection::Leave()
{
	bLeft = true;
	Session_.leave();
	if (Socket && Socket->IsConnected())
	{
		for (const std::vector<uint8_t>& Out : Session_.take_outbox())
			Socket->Send(Out.data(), Out.size(), true);
	}
}
