/* err.c — messages for the WB_E* codes (see err.h). */
#include "core/err.h"

static const char *const wb_err_msgs[] = {
#define WB_ERR_MSG(name, msg) msg,
	WB_ERRORS(WB_ERR_MSG)
#undef WB_ERR_MSG
};

const char *wb_strerror(int rc)
{
	if (rc < 0)
		rc = -rc;
	if (rc == 0)
		return "success";
	if (rc > WB_ERR_FIRST_ && rc < WB_ERR_LAST_)
		return wb_err_msgs[rc - WB_ERR_FIRST_ - 1];
	return "unknown error";
}
