// One scene's connection: an IWebSocket whose callbacks only enqueue bytes (they may run off the
// game thread), drained on the game thread into the core's Session. No UObject is touched here
// off the game thread; the subsystem owns this and forwards the Session's events.
#pragma once

#include "Containers/Queue.h"
#include "CoreMinimal.h"
#include "Stagecraft/session.h"

class IWebSocket;

class FStagecraftConnection : public TSharedFromThis<FStagecraftConnection, ESPMode::ThreadSafe>
{
public:
	FStagecraftConnection(stagecraft::SessionListener* Listener, const stagecraft::PerformanceOptions& Options);
	~FStagecraftConnection();

	/** ws://host:port/processId/roomId?sessionId=… (and the reconnection token when reconnecting). */
	void Open(const FString& BaseWs, const FString& ProcessId, const FString& RoomId, const FString& SessionId);
	/** Game thread: feed received frames to the session, send what it queued, reconnect if due. */
	void Tick(double NowMs);
	void Leave();

	stagecraft::Session& Session() { return Session_; }
	bool IsOpen() const;

private:
	void Connect(const FString& Token);

	struct FClosed
	{
		int32 Code = 0;
		FString Reason;
	};

	stagecraft::Session Session_;
	TSharedPtr<IWebSocket> Socket;
	FString BaseWs, ProcessId, RoomId, SessionId;
	TQueue<TArray<uint8>, EQueueMode::Mpsc> Inbox;
	TQueue<FClosed, EQueueMode::Mpsc> Closes;
	TArray<uint8> Partial;  // written only by the socket's callback thread
	double ReconnectAtMs = -1;
	int32 Attempts = 0;
	bool bLeft = false;
};
