Business Need:
	desc :
  Example:
 But $1 \| <a>
	