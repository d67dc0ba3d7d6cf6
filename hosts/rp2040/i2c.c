/* I2C0 as controller (datasheet §4.3, the DW_apb_i2c). A transfer queues its commands at most a FIFO's worth at a
 * time with TX_CMD_BLOCK held, so each burst goes out back to back; a NACK is reported as the abort source says, and
 * every wait has the caller's deadline, after which the transfer is aborted (a stuck bus). */
#include "hardware.h"

#define IC_CON            (I2C0_BASE + 0x00)
#define IC_TAR            (I2C0_BASE + 0x04)
#define IC_DATA_CMD       (I2C0_BASE + 0x10)
#define IC_FS_SCL_HCNT    (I2C0_BASE + 0x1c)
#define IC_FS_SCL_LCNT    (I2C0_BASE + 0x20)
#define IC_RAW_INTR_STAT  (I2C0_BASE + 0x34)
#define IC_CLR_TX_ABRT    (I2C0_BASE + 0x54)
#define IC_CLR_STOP_DET   (I2C0_BASE + 0x60)
#define IC_ENABLE         (I2C0_BASE + 0x6c)
#define IC_TXFLR          (I2C0_BASE + 0x74)
#define IC_RXFLR          (I2C0_BASE + 0x78)
#define IC_SDA_HOLD       (I2C0_BASE + 0x7c)
#define IC_TX_ABRT_SOURCE (I2C0_BASE + 0x80)
#define IC_FS_SPKLEN      (I2C0_BASE + 0xa0)

#define ENABLE       (1u << 0)
#define ABORT        (1u << 1)
#define TX_CMD_BLOCK (1u << 2)
#define CMD_READ     (1u << 8)
#define CMD_STOP     (1u << 9)
#define CMD_RESTART  (1u << 10)
#define INTR_TX_ABRT (1u << 6)
#define INTR_STOP    (1u << 9)
#define ABRT_ADDRESS_NOACK (1u << 0)
#define ABRT_DATA_NOACK    (1u << 3)
#define FIFO_DEPTH 16
#define CLK_PERI_HZ 125000000u
#define FUNC_I2C 3

/* The previous transfer ended without a STOP: the next one starts with a repeated START. */
static int gRestartNext = 0;

void i2cInit(uint32_t sdaPin, uint32_t sclPin, uint32_t hz)
{
	REG_CLR(RESETS_RESET) = RESET_I2C0;
	for (uint32_t tries = 0; tries < POLL_LIMIT && !(REG(RESETS_DONE) & RESET_I2C0); tries++) {
	}
	REG(IC_ENABLE) = 0;
	REG(IC_CON) = (1u << 0) | (2u << 1) | (1u << 5) | (1u << 6) | (1u << 8); /* controller, fast mode, restarts */
	uint32_t period = (CLK_PERI_HZ + hz / 2) / hz;
	uint32_t low = period * 3 / 5;
	REG(IC_FS_SCL_HCNT) = period - low;
	REG(IC_FS_SCL_LCNT) = low;
	REG(IC_FS_SPKLEN) = low < 16 ? 1 : low / 16;
	REG(IC_SDA_HOLD) = 1;
	uint32_t pins[2] = { sdaPin, sclPin };
	for (int i = 0; i < 2; i++) {
		REG(PADS_BANK0_BASE + 0x04 + 4 * pins[i]) = (1u << 6) | (1u << 3); /* input enabled, pull-up */
		REG(IO_BANK0_BASE + 0x04 + 8 * pins[i]) = FUNC_I2C;
	}
	REG(IC_ENABLE) = ENABLE;
}

static int abortReason(void)
{
	uint32_t source = REG(IC_TX_ABRT_SOURCE);
	(void)REG(IC_CLR_TX_ABRT);
	gRestartNext = 0;
	if (source & ABRT_ADDRESS_NOACK)
		return I2C_NACK_ADDRESS;
	return (source & ABRT_DATA_NOACK) ? I2C_NACK_DATA : I2C_NACK_ADDRESS;
}

static int abortTransfer(void)
{
	REG(IC_ENABLE) = ENABLE | ABORT;
	for (uint32_t tries = 0; tries < POLL_LIMIT && (REG(IC_ENABLE) & ABORT); tries++) {
	}
	(void)REG(IC_CLR_TX_ABRT);
	gRestartNext = 0;
	return I2C_TIMEOUT;
}

static int transfer(uint32_t address, uint8_t* bytes, uint32_t length, int read, int stop, uint32_t timeoutUs)
{
	uint64_t deadline = timerMicros() + timeoutUs;
	if (REG(IC_TAR) != address || !gRestartNext) {
		REG(IC_ENABLE) = 0;
		REG(IC_TAR) = address;
		REG(IC_ENABLE) = ENABLE;
	}
	uint32_t queued = 0, received = 0;
	while (queued < length || (read && received < length)) {
		if (queued < length) {
			REG(IC_ENABLE) = ENABLE | TX_CMD_BLOCK;
			uint32_t room = FIFO_DEPTH - REG(IC_TXFLR);
			if (read && room > FIFO_DEPTH - (queued - received))
				room = FIFO_DEPTH - (queued - received);
			for (; room > 0 && queued < length; room--, queued++) {
				uint32_t command = read ? CMD_READ : bytes[queued];
				if (queued == 0 && gRestartNext)
					command |= CMD_RESTART;
				if (queued == length - 1 && stop)
					command |= CMD_STOP;
				REG(IC_DATA_CMD) = command;
			}
			REG(IC_ENABLE) = ENABLE;
		}
		for (;;) {
			if (REG(IC_RAW_INTR_STAT) & INTR_TX_ABRT)
				return abortReason();
			while (read && REG(IC_RXFLR) > 0 && received < length)
				bytes[received++] = (uint8_t)REG(IC_DATA_CMD);
			if (REG(IC_TXFLR) == 0 && (!read || received == queued))
				break;
			if (timerMicros() > deadline)
				return abortTransfer();
		}
	}
	if (stop) {
		while (!(REG(IC_RAW_INTR_STAT) & INTR_STOP)) {
			if (REG(IC_RAW_INTR_STAT) & INTR_TX_ABRT)
				return abortReason();
			if (timerMicros() > deadline)
				return abortTransfer();
		}
		(void)REG(IC_CLR_STOP_DET);
	}
	if (REG(IC_RAW_INTR_STAT) & INTR_TX_ABRT)
		return abortReason();
	gRestartNext = !stop;
	return I2C_OK;
}

int i2cWrite(uint32_t address, const uint8_t* bytes, uint32_t length, int stop, uint32_t timeoutUs)
{
	return transfer(address, (uint8_t*)bytes, length, 0, stop, timeoutUs);
}

int i2cRead(uint32_t address, uint8_t* bytes, uint32_t length, int stop, uint32_t timeoutUs)
{
	return transfer(address, bytes, length, 1, stop, timeoutUs);
}
