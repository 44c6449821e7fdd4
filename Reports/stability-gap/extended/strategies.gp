# Drawn by the replicate harness; run `gnuplot strategies.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Strategies: medQ per data strategy (epoch starts marked)"
set xlabel "tokens seen in the continual phase (thousands)"
set ylabel "medQ (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'strategies.png'
plot 'strategies.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'strategies.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G1", \
     'strategies.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G2", \
     'strategies.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G3", \
     'strategies.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G5", \
     'strategies.dat' index 5 using 1:2 with points lc 6 pt 6 title "G1 epoch starts", \
     'strategies.dat' index 6 using 1:2 with points lc 7 pt 7 title "G2 epoch starts", \
     'strategies.dat' index 7 using 1:2 with points lc 8 pt 1 title "G3 epoch starts", \
     1.79641276848489 with lines dt 2 lc rgb 'gray40' title "medQ at the start"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'strategies.svg'
plot 'strategies.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "G0", \
     'strategies.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "G1", \
     'strategies.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "G2", \
     'strategies.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "G3", \
     'strategies.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "G5", \
     'strategies.dat' index 5 using 1:2 with points lc 6 pt 6 title "G1 epoch starts", \
     'strategies.dat' index 6 using 1:2 with points lc 7 pt 7 title "G2 epoch starts", \
     'strategies.dat' index 7 using 1:2 with points lc 8 pt 1 title "G3 epoch starts", \
     1.79641276848489 with lines dt 2 lc rgb 'gray40' title "medQ at the start"
unset output
